package org.synergen.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.regex.Pattern;

/**
 * The {@code pattern} field of tokenizer.json ({@code {"String": ...}} or {@code {"Regex": ...}})
 * as a java.util.regex pattern.
 *
 * <p>HF tokenizers runs regexes with Oniguruma, where {@code \s}, {@code \w} and case-insensitive
 * matching follow Unicode. java.util.regex does the same only with UNICODE_CHARACTER_CLASS, so every
 * pattern is compiled with it; {@code \p{L}}, {@code \p{N}}, look-ahead and leftmost-first
 * alternation already behave alike. The parity table checks this on non-ASCII spaces and on
 * {@code 'ſ} (long s case-folds to s).
 */
final class HfPattern {
  private HfPattern() {}

  static Pattern of(JsonNode pattern, String where) {
    if (pattern.has("String")) {
      return Pattern.compile(Pattern.quote(pattern.get("String").asText()));
    }
    if (pattern.has("Regex")) {
      return Pattern.compile(pattern.get("Regex").asText(), Pattern.UNICODE_CHARACTER_CLASS);
    }
    throw new IllegalArgumentException(
        where + ": pattern must be {\"String\": ...} or {\"Regex\": ...}, got " + pattern);
  }
}
