package org.synergen.text;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * The built-in tokenizer used when no tokenizer.json is configured: ids 0-255 are the UTF-8 bytes
 * of the text, the special tokens follow with fixed ids (conf/model/tiny.conf): {@code <s>}=256,
 * {@code </s>}=257, {@code <boi>}=258, {@code <eoi>}=259, {@code <UNCOND>}=260,
 * {@code <|im_start|>}=261, {@code <|im_end|>}=262. Vocabulary 263 (tiny.conf's 264 leaves one
 * spare row).
 */
public final class ByteTokenizer implements TextTokenizer {
  public static final SpecialTokens DEFAULT_SPECIALS = new SpecialTokens(256, 257, 258, 259, 260, 261, 262);

  private final SpecialTokens specials;
  private final Map<String, Integer> byName;
  private final String[] names;
  private final String identity;

  public ByteTokenizer() {
    this(Map.of());
  }

  /** {@code fixedIds} overrides default special ids (each must be >= 256 and distinct). */
  public ByteTokenizer(Map<String, Integer> fixedIds) {
    Map<String, Integer> ids = new LinkedHashMap<>(DEFAULT_SPECIALS.asMap());
    ids.putAll(fixedIds);
    int max = 255;
    for (Map.Entry<String, Integer> e : ids.entrySet()) {
      if (e.getValue() < 256) {
        throw new IllegalArgumentException("byte-level tokenizer: special " + e.getKey() + "="
            + e.getValue() + " collides with the byte ids 0-255");
      }
      max = Math.max(max, e.getValue());
    }
    if (ids.values().stream().distinct().count() != ids.size()) {
      throw new IllegalArgumentException("byte-level tokenizer: special ids are not distinct: " + ids);
    }
    specials = SpecialTokens.fromMap(ids);
    byName = ids;
    names = new String[max + 1];
    ids.forEach((name, id) -> names[id] = name);
    identity = sha256("synergen byte-level v1\nspecials " + specials.asMap());
  }

  @Override
  public int[] encode(String text, boolean startOfInput) {
    List<Integer> ids = new ArrayList<>();
    int from = 0;
    for (int i = 0; i < text.length(); i++) {
      String hit = specialAt(text, i);
      if (hit != null) {
        addBytes(text.substring(from, i), ids);
        ids.add(byName.get(hit));
        i += hit.length() - 1;
        from = i + 1;
      }
    }
    addBytes(text.substring(from), ids);
    return ids.stream().mapToInt(Integer::intValue).toArray();
  }

  /** The longest special token starting at {@code pos}, as HF's leftmost-longest matching. */
  private String specialAt(String text, int pos) {
    String best = null;
    for (String name : byName.keySet()) {
      if (text.startsWith(name, pos) && (best == null || name.length() > best.length())) {
        best = name;
      }
    }
    return best;
  }

  private static void addBytes(String s, List<Integer> ids) {
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      ids.add(b & 0xFF);
    }
  }

  @Override
  public String decode(int[] ids, boolean skipSpecialTokens) {
    StringBuilder out = new StringBuilder();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (int id : ids) {
      if (id >= 0 && id < 256) {
        bytes.write(id);
        continue;
      }
      if (id < 0 || id >= names.length || names[id] == null) {
        throw new IllegalArgumentException("token id " + id + " is not in the byte-level tokenizer");
      }
      out.append(bytes.toString(StandardCharsets.UTF_8));
      bytes.reset();
      if (!skipSpecialTokens) {
        out.append(names[id]);
      }
    }
    return out.append(bytes.toString(StandardCharsets.UTF_8)).toString();
  }

  @Override
  public int vocabSize() {
    return names.length;
  }

  @Override
  public OptionalInt tokenId(String token) {
    Integer id = byName.get(token);
    if (id != null) {
      return OptionalInt.of(id);
    }
    byte[] b = token.getBytes(StandardCharsets.UTF_8);
    return b.length == 1 ? OptionalInt.of(b[0] & 0xFF) : OptionalInt.empty();
  }

  @Override
  public SpecialTokens specials() {
    return specials;
  }

  @Override
  public String identity() {
    return identity;
  }

  private static String sha256(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
