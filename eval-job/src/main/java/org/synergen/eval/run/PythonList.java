package org.synergen.eval.run;

import java.util.ArrayList;
import java.util.List;

/**
 * VLMEvalKit stores a question's several accepted answers as a Python list's repr in one TSV cell
 * ({@code ['a', "it's"]}); this reads that literal back. A cell that is not such a list is one answer.
 */
final class PythonList {
  private PythonList() {}

  /** The strings of a list literal, or null when {@code cell} is not one. */
  static List<String> parse(String cell) {
    String s = cell.strip();
    if (!s.startsWith("[") || !s.endsWith("]")) {
      return null;
    }
    List<String> out = new ArrayList<>();
    int i = skipSpace(s, 1);
    while (i < s.length() - 1) {
      char quote = s.charAt(i);
      if (quote != '\'' && quote != '"') {
        return null;
      }
      StringBuilder b = new StringBuilder();
      i++;
      while (i < s.length() - 1 && s.charAt(i) != quote) {
        char c = s.charAt(i);
        if (c == '\\' && i + 1 < s.length() - 1) {
          char e = s.charAt(++i);
          b.append(switch (e) {
            case 'n' -> '\n';
            case 't' -> '\t';
            default -> e;
          });
        } else {
          b.append(c);
        }
        i++;
      }
      if (i >= s.length() - 1) {
        return null;
      }
      out.add(b.toString());
      i = skipSpace(s, i + 1);
      if (i < s.length() - 1) {
        if (s.charAt(i) != ',') {
          return null;
        }
        i = skipSpace(s, i + 1);
      }
    }
    return out;
  }

  private static int skipSpace(String s, int i) {
    while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
      i++;
    }
    return i;
  }
}
