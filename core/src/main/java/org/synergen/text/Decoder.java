package org.synergen.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The tokenizer.json {@code decoder}: turns the token strings of an id sequence back into text.
 * Like HF, each step maps a list of token strings to a new list; the result is their concatenation.
 */
interface Decoder {
  List<String> decodeChain(List<String> tokens);

  default String decode(List<String> tokens) {
    return String.join("", decodeChain(tokens));
  }

  /** No decoder: HF joins the tokens with spaces. */
  Decoder NONE = tokens -> List.of(String.join(" ", tokens));

  static Decoder fromJson(JsonNode n) {
    if (n == null || n.isNull()) {
      return NONE;
    }
    String type = n.path("type").asText();
    switch (type) {
      case "ByteLevel":
        return Decoder::byteLevel;
      case "Replace": {
        Pattern p = HfPattern.of(n.get("pattern"), "decoder Replace");
        String content = Matcher.quoteReplacement(n.get("content").asText());
        return tokens -> tokens.stream().map(t -> p.matcher(t).replaceAll(content)).toList();
      }
      case "ByteFallback":
        return Decoder::byteFallback;
      case "Fuse":
        return tokens -> List.of(String.join("", tokens));
      case "Strip": {
        int content = n.get("content").asText().codePointAt(0);
        int start = n.path("start").asInt(0);
        int stop = n.path("stop").asInt(0);
        return tokens -> tokens.stream().map(t -> strip(t, content, start, stop)).toList();
      }
      case "Metaspace": {
        int replacement = n.path("replacement").asText("\u2581").codePointAt(0);
        boolean dropInFirst = !n.path("prepend_scheme").asText("always").equals("never");
        return tokens -> {
          List<String> out = new ArrayList<>(tokens.size());
          for (int i = 0; i < tokens.size(); i++) {
            StringBuilder sb = new StringBuilder();
            boolean first = i == 0;
            // HF drops every replacement character of the first token, not only a leading one
            tokens.get(i).codePoints().forEach(c -> {
              if (c != replacement) {
                sb.appendCodePoint(c);
              } else if (!(first && dropInFirst)) {
                sb.append(' ');
              }
            });
            out.add(sb.toString());
          }
          return out;
        };
      }
      case "Sequence": {
        List<Decoder> steps = new ArrayList<>();
        n.get("decoders").forEach(c -> steps.add(fromJson(c)));
        return tokens -> {
          for (Decoder step : steps) {
            tokens = step.decodeChain(tokens);
          }
          return tokens;
        };
      }
      default:
        throw new IllegalArgumentException(
            "tokenizer.json decoder type '" + type + "' is not supported (supported: ByteLevel,"
                + " Replace, ByteFallback, Fuse, Strip, Metaspace, Sequence)");
    }
  }

  /**
   * Byte-level: a token whose characters are all in the byte alphabet becomes those bytes, any
   * other token (e.g. an added token) its own UTF-8; the whole is decoded with U+FFFD for
   * malformed sequences.
   */
  private static List<String> byteLevel(List<String> tokens) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (String t : tokens) {
      byte[] mapped = new byte[t.length()];
      boolean all = true;
      for (int i = 0; i < t.length() && all; i++) {
        int b = ByteLevelAlphabet.byteOf(t.charAt(i));
        all = b >= 0;
        mapped[i] = (byte) b;
      }
      byte[] raw = all ? mapped : t.getBytes(StandardCharsets.UTF_8);
      bytes.write(raw, 0, raw.length);
    }
    return List.of(bytes.toString(StandardCharsets.UTF_8));
  }

  /**
   * Runs of {@code <0xNN>} tokens become the text they encode; a run that is not valid UTF-8
   * becomes one U+FFFD per byte (HF's rule, unlike lossy decoding).
   */
  private static List<String> byteFallback(List<String> tokens) {
    List<String> out = new ArrayList<>();
    ByteArrayOutputStream run = new ByteArrayOutputStream();
    for (String t : tokens) {
      int b = byteToken(t);
      if (b >= 0) {
        run.write(b);
        continue;
      }
      flushBytes(run, out);
      out.add(t);
    }
    flushBytes(run, out);
    return out;
  }

  private static int byteToken(String t) {
    if (t.length() == 6 && t.startsWith("<0x") && t.endsWith(">")) {
      try {
        return Integer.parseInt(t.substring(3, 5), 16);
      } catch (NumberFormatException e) {
        return -1;
      }
    }
    return -1;
  }

  private static void flushBytes(ByteArrayOutputStream run, List<String> out) {
    if (run.size() == 0) {
      return;
    }
    byte[] bytes = run.toByteArray();
    run.reset();
    try {
      out.add(
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString());
    } catch (CharacterCodingException e) {
      for (int i = 0; i < bytes.length; i++) {
        out.add("\uFFFD");
      }
    }
  }

  /** Removes up to {@code start} leading and {@code stop} trailing {@code content} characters. */
  private static String strip(String token, int content, int start, int stop) {
    int[] cps = token.codePoints().toArray();
    int from = 0;
    while (from < start && from < cps.length && cps[from] == content) {
      from++;
    }
    int to = cps.length;
    while (cps.length - to < stop && to > from && cps[to - 1] == content) {
      to--;
    }
    return new String(cps, from, to - from);
  }
}
