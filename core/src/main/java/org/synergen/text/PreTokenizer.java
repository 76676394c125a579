package org.synergen.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The tokenizer.json {@code pre_tokenizer}: cuts a normalized piece into the words BPE merges
 * within (merges never cross a word boundary).
 */
interface PreTokenizer {

  /**
   * A word in the making. {@code atStart}: it begins at offset 0 of the original input, which is
   * what Metaspace's "first" prepend scheme looks at.
   */
  record Piece(String text, boolean atStart) {}

  List<Piece> split(Piece piece);

  default List<Piece> splitAll(List<Piece> pieces) {
    List<Piece> out = new ArrayList<>();
    for (Piece p : pieces) {
      out.addAll(split(p));
    }
    return out;
  }

  PreTokenizer NONE = List::of;

  /** GPT-2's word regex, used by ByteLevel when {@code use_regex} is true. */
  Pattern GPT2_WORDS =
      Pattern.compile(
          "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+",
          Pattern.UNICODE_CHARACTER_CLASS);

  static PreTokenizer fromJson(JsonNode n) {
    if (n == null || n.isNull()) {
      return NONE;
    }
    String type = n.path("type").asText();
    switch (type) {
      case "Sequence": {
        List<PreTokenizer> steps = new ArrayList<>();
        n.get("pretokenizers").forEach(c -> steps.add(fromJson(c)));
        return p -> {
          List<Piece> pieces = List.of(p);
          for (PreTokenizer step : steps) {
            pieces = step.splitAll(pieces);
          }
          return pieces;
        };
      }
      case "Split": {
        Pattern pattern = HfPattern.of(n.get("pattern"), "pre_tokenizer Split");
        String behavior = n.get("behavior").asText();
        if (n.path("invert").asBoolean(false)) {
          throw new IllegalArgumentException("pre_tokenizer Split with invert=true is not supported");
        }
        return p -> splitOnMatches(p, pattern, behavior);
      }
      case "ByteLevel": {
        boolean addPrefixSpace = n.path("add_prefix_space").asBoolean(false);
        boolean useRegex = n.path("use_regex").asBoolean(true);
        return p -> {
          String text = addPrefixSpace && !p.text().startsWith(" ") ? " " + p.text() : p.text();
          List<Piece> words =
              useRegex
                  ? splitOnMatches(new Piece(text, p.atStart()), GPT2_WORDS, "Isolated")
                  : List.of(new Piece(text, p.atStart()));
          List<Piece> out = new ArrayList<>(words.size());
          for (Piece w : words) {
            out.add(new Piece(ByteLevelAlphabet.encode(w.text()), w.atStart()));
          }
          return out;
        };
      }
      case "Metaspace": {
        String replacement = n.path("replacement").asText("\u2581");
        String scheme = n.path("prepend_scheme").asText("always");
        boolean split = n.path("split").asBoolean(true);
        Pattern marker = Pattern.compile(Pattern.quote(replacement));
        return p -> {
          String text = p.text().replace(" ", replacement);
          boolean prepend =
              !text.startsWith(replacement)
                  && (scheme.equals("always") || (scheme.equals("first") && p.atStart()));
          if (prepend) {
            text = replacement + text;
          }
          Piece replaced = new Piece(text, p.atStart());
          return split ? splitOnMatches(replaced, marker, "MergedWithNext") : List.of(replaced);
        };
      }
      default:
        throw new IllegalArgumentException(
            "tokenizer.json pre_tokenizer type '" + type + "' is not supported (supported: Split,"
                + " ByteLevel, Metaspace, Sequence)");
    }
  }

  /**
   * Cuts a piece at the matches of {@code pattern}; {@code behavior} is HF's
   * SplitDelimiterBehavior: what happens to each match. Empty pieces are dropped, as in HF.
   */
  static List<Piece> splitOnMatches(Piece piece, Pattern pattern, String behavior) {
    String s = piece.text();
    // alternating gaps and matches covering s: [start, end, isMatch]
    List<int[]> spans = new ArrayList<>();
    Matcher m = pattern.matcher(s);
    int last = 0;
    while (m.find()) {
      if (m.end() == m.start()) {
        continue; // an empty match cuts nothing
      }
      if (m.start() > last) {
        spans.add(new int[] {last, m.start(), 0});
      }
      spans.add(new int[] {m.start(), m.end(), 1});
      last = m.end();
    }
    if (last < s.length()) {
      spans.add(new int[] {last, s.length(), 0});
    }
    List<int[]> merged = new ArrayList<>();
    switch (behavior) {
      case "Isolated":
        merged = spans;
        break;
      case "Removed":
        for (int[] sp : spans) {
          if (sp[2] == 0) {
            merged.add(sp);
          }
        }
        break;
      case "MergedWithPrevious":
        for (int[] sp : spans) {
          if (sp[2] == 1 && !merged.isEmpty() && merged.get(merged.size() - 1)[2] == 0) {
            merged.get(merged.size() - 1)[1] = sp[1];
            merged.get(merged.size() - 1)[2] = 1; // closed: the next gap starts a new piece
          } else {
            merged.add(sp.clone());
          }
        }
        break;
      case "MergedWithNext": {
        int[] pending = null;
        for (int[] sp : spans) {
          if (sp[2] == 1) {
            if (pending != null) {
              merged.add(pending);
            }
            pending = sp.clone();
          } else if (pending != null) {
            pending[1] = sp[1];
            merged.add(pending);
            pending = null;
          } else {
            merged.add(sp);
          }
        }
        if (pending != null) {
          merged.add(pending);
        }
        break;
      }
      case "Contiguous":
        for (int[] sp : spans) {
          int[] prev = merged.isEmpty() ? null : merged.get(merged.size() - 1);
          if (sp[2] == 1 && prev != null && prev[2] == 1) {
            prev[1] = sp[1];
          } else {
            merged.add(sp.clone());
          }
        }
        break;
      default:
        throw new IllegalArgumentException("unknown Split behavior '" + behavior + "'");
    }
    List<Piece> out = new ArrayList<>(merged.size());
    for (int[] sp : merged) {
      if (sp[1] > sp[0]) {
        out.add(new Piece(s.substring(sp[0], sp[1]), piece.atStart() && sp[0] == 0));
      }
    }
    return out;
  }
}
