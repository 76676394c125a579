package org.synergen.text;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code added_tokens} of a tokenizer.json (special tokens such as {@code <|im_start|>} and any
 * other token added after training). They are cut out of the text before BPE, as HF does: tokens
 * with {@code normalized=false} are found in the raw text, the pieces between them are normalized,
 * then tokens with {@code normalized=true} are found in those normalized pieces. Matching is
 * leftmost-longest and non-overlapping; {@code lstrip}/{@code rstrip} make a token swallow the
 * whitespace before/after it, {@code single_word} makes it match only between non-word characters.
 */
final class AddedTokens {

  record Token(int id, String content, boolean special, boolean normalized, boolean lstrip,
      boolean rstrip, boolean singleWord) {}

  /** A stretch of the input: an added token ({@code id >= 0}) or text to tokenize further. */
  record Segment(int id, String text, boolean atStart) {
    boolean isToken() {
      return id >= 0;
    }
  }

  private static final Pattern WORD_AT_START = Pattern.compile("^\\w", Pattern.UNICODE_CHARACTER_CLASS);
  private static final Pattern WORD_AT_END = Pattern.compile("\\w$", Pattern.UNICODE_CHARACTER_CLASS);
  private static final Pattern SPACE_AT_START = Pattern.compile("^\\s*", Pattern.UNICODE_CHARACTER_CLASS);
  private static final Pattern SPACE_AT_END = Pattern.compile("\\s*$", Pattern.UNICODE_CHARACTER_CLASS);

  private final Map<Integer, Token> byId = new HashMap<>();
  /** The normalized content of normalized tokens: what decoding starts from, as in HF. */
  private final Map<Integer, String> normalizedContent = new HashMap<>();
  private final Map<String, Token> byContent = new HashMap<>();
  /** Patterns by first character, longest first (so the first hit at a position is the longest). */
  private final Map<Character, List<Map.Entry<String, Token>>> raw = new HashMap<>();
  private final Map<Character, List<Map.Entry<String, Token>>> normalizedForms = new HashMap<>();

  void add(Token token, Normalizer normalizer) {
    if (token.content().isEmpty()) {
      throw new IllegalArgumentException("added token " + token.id() + " has empty content");
    }
    byId.put(token.id(), token);
    byContent.put(token.content(), token);
    normalizedContent.remove(token.id());
    if (token.normalized()) {
      String form = normalizer.normalize(token.content());
      index(normalizedForms, form, token);
      normalizedContent.put(token.id(), form);
    } else {
      index(raw, token.content(), token);
    }
  }

  private static void index(Map<Character, List<Map.Entry<String, Token>>> table, String pattern, Token t) {
    List<Map.Entry<String, Token>> list = table.computeIfAbsent(pattern.charAt(0), c -> new ArrayList<>());
    list.removeIf(e -> e.getKey().equals(pattern));
    list.add(Map.entry(pattern, t));
    list.sort(Comparator.comparingInt((Map.Entry<String, Token> e) -> e.getKey().length()).reversed());
  }

  Token byId(int id) {
    return byId.get(id);
  }

  /** The string a decoder receives for this token. */
  String decodeForm(Token t) {
    return normalizedContent.getOrDefault(t.id(), t.content());
  }

  Token byContent(String content) {
    return byContent.get(content);
  }

  int maxId() {
    return byId.keySet().stream().mapToInt(Integer::intValue).max().orElse(-1);
  }

  /** Cuts added tokens out of {@code text} and normalizes the text in between. */
  List<Segment> extract(String text, Normalizer normalizer, boolean startOfInput) {
    List<Segment> out = new ArrayList<>();
    for (Segment s : split(text, startOfInput, raw)) {
      if (s.isToken()) {
        out.add(s);
      } else {
        String normalized = normalizer.normalize(s.text());
        if (!normalized.isEmpty()) {
          out.addAll(split(normalized, s.atStart(), normalizedForms));
        }
      }
    }
    return out;
  }

  private static List<Segment> split(String s, boolean atStart,
      Map<Character, List<Map.Entry<String, Token>>> table) {
    List<Segment> out = new ArrayList<>();
    if (s.isEmpty()) {
      return out;
    }
    int textFrom = 0; // start of the pending text segment
    int pos = 0;
    while (pos < s.length()) {
      Map.Entry<String, Token> hit = longestAt(s, pos, table);
      if (hit == null) {
        pos++;
        continue;
      }
      Token t = hit.getValue();
      int start = pos;
      int stop = pos + hit.getKey().length();
      pos = stop; // the matcher resumes after the match even when the match is discarded
      if (t.singleWord()) {
        boolean spaceBefore = start == 0 || !WORD_AT_END.matcher(s.substring(0, start)).find();
        boolean spaceAfter = stop == s.length() || !WORD_AT_START.matcher(s.substring(stop)).find();
        if (!spaceBefore || !spaceAfter) {
          continue;
        }
      }
      if (t.lstrip()) {
        Matcher m = SPACE_AT_END.matcher(s.substring(0, start));
        int newStart = m.find() ? m.start() : start;
        start = Math.max(newStart, textFrom);
      }
      if (t.rstrip()) {
        Matcher m = SPACE_AT_START.matcher(s.substring(stop));
        stop += m.find() ? m.end() : 0;
      }
      if (textFrom < start) {
        out.add(new Segment(-1, s.substring(textFrom, start), atStart && textFrom == 0));
      }
      out.add(new Segment(t.id(), s.substring(start, stop), false));
      textFrom = stop;
    }
    if (textFrom < s.length()) {
      out.add(new Segment(-1, s.substring(textFrom), atStart && textFrom == 0));
    }
    return out;
  }

  private static Map.Entry<String, Token> longestAt(String s, int pos,
      Map<Character, List<Map.Entry<String, Token>>> table) {
    List<Map.Entry<String, Token>> candidates = table.get(s.charAt(pos));
    if (candidates != null) {
      for (Map.Entry<String, Token> c : candidates) {
        if (s.startsWith(c.getKey(), pos)) {
          return c;
        }
      }
    }
    return null;
  }
}
