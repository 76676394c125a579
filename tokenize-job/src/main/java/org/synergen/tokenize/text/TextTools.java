package org.synergen.tokenize.text;

import java.nio.file.Path;
import org.synergen.text.ByteTokenizer;
import org.synergen.text.HfTokenizer;
import org.synergen.text.TextTokenizer;

/** The tokenizer the text tools use: a HF tokenizer.json, or the built-in byte-level one. */
final class TextTools {
  private TextTools() {}

  static TextTokenizer tokenizer(Path tokenizerJson) {
    return tokenizerJson == null ? new ByteTokenizer() : HfTokenizer.load(tokenizerJson);
  }
}
