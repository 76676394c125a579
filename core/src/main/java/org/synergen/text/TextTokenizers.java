package org.synergen.text;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.Map;

/**
 * Picks the text tokenizer from a {@code text { ... }} config block:
 *
 * <pre>
 * text {
 *   tokenizer = "path/to/tokenizer.json"   # absent: the built-in byte-level tokenizer
 *   special-ids { "&lt;boi&gt;" = 258 }          # optional: pin special token ids
 * }
 * </pre>
 */
public final class TextTokenizers {
  private TextTokenizers() {}

  public static TextTokenizer fromConfig(Config text) {
    Map<String, Integer> fixed =
        SpecialTokens.fixedIds(text.hasPath("special-ids") ? text.getConfig("special-ids") : null);
    if (text.hasPath("tokenizer") && !text.getString("tokenizer").isBlank()) {
      return HfTokenizer.load(Path.of(text.getString("tokenizer")), fixed);
    }
    return new ByteTokenizer(fixed);
  }
}
