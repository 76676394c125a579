package org.synergen.text;

/**
 * GPT-2's reversible byte <-> printable character map used by byte-level BPE (Qwen2): every byte
 * becomes one visible character so that BPE can work on strings without whitespace or control
 * characters. Printable bytes ('!'..'~', 0xA1..0xAC, 0xAE..0xFF) map to themselves, the other 68
 * bytes to U+0100 onwards in byte order.
 */
final class ByteLevelAlphabet {
  private static final char[] BYTE_TO_CHAR = new char[256];
  private static final int[] CHAR_TO_BYTE = new int[0x100 + 68];

  static {
    java.util.Arrays.fill(CHAR_TO_BYTE, -1);
    int next = 0x100;
    for (int b = 0; b < 256; b++) {
      boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE);
      char c = printable ? (char) b : (char) next++;
      BYTE_TO_CHAR[b] = c;
      CHAR_TO_BYTE[c] = b;
    }
  }

  private ByteLevelAlphabet() {}

  /** The character standing for byte {@code b} (0..255). */
  static char charOf(int b) {
    return BYTE_TO_CHAR[b & 0xFF];
  }

  /** The byte a character stands for, or -1 if it is not in the alphabet. */
  static int byteOf(char c) {
    return c < CHAR_TO_BYTE.length ? CHAR_TO_BYTE[c] : -1;
  }

  /** Rewrites the UTF-8 bytes of {@code s} as alphabet characters. */
  static String encode(String s) {
    byte[] bytes = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    char[] out = new char[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      out[i] = BYTE_TO_CHAR[bytes[i] & 0xFF];
    }
    return new String(out);
  }
}
