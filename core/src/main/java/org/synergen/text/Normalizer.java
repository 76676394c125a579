package org.synergen.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The tokenizer.json {@code normalizer}: rewrites each text piece before pre-tokenization. */
interface Normalizer {
  String normalize(String s);

  Normalizer IDENTITY = s -> s;

  /** Builds the normalizer a tokenizer.json describes ({@code null} means none). */
  static Normalizer fromJson(JsonNode n) {
    if (n == null || n.isNull()) {
      return IDENTITY;
    }
    String type = n.path("type").asText();
    switch (type) {
      case "NFC":
        return s -> java.text.Normalizer.normalize(s, java.text.Normalizer.Form.NFC);
      case "NFD":
        return s -> java.text.Normalizer.normalize(s, java.text.Normalizer.Form.NFD);
      case "NFKC":
        return s -> java.text.Normalizer.normalize(s, java.text.Normalizer.Form.NFKC);
      case "NFKD":
        return s -> java.text.Normalizer.normalize(s, java.text.Normalizer.Form.NFKD);
      case "Lowercase":
        return s -> s.toLowerCase(Locale.ROOT);
      case "Prepend": {
        // only non-empty pieces get the prefix (SentencePiece's dummy prefix "▁")
        String prefix = n.get("prepend").asText();
        return s -> s.isEmpty() ? s : prefix + s;
      }
      case "Replace": {
        Pattern p = HfPattern.of(n.get("pattern"), "normalizer Replace");
        String content = Matcher.quoteReplacement(n.get("content").asText());
        return s -> p.matcher(s).replaceAll(content);
      }
      case "Sequence": {
        List<Normalizer> steps = new ArrayList<>();
        n.get("normalizers").forEach(c -> steps.add(fromJson(c)));
        return s -> {
          for (Normalizer step : steps) {
            s = step.normalize(s);
          }
          return s;
        };
      }
      default:
        throw new IllegalArgumentException(
            "tokenizer.json normalizer type '" + type + "' is not supported (supported: NFC, NFD,"
                + " NFKC, NFKD, Lowercase, Prepend, Replace, Sequence)");
    }
  }
}
