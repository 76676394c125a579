package org.synergen.eval.text;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The few Python {@code str} operations the official scoring scripts rely on, with Python's
 * semantics: whitespace is {@code str.isspace()} (wider than Java's trim), lengths count code
 * points, and upper/lower case follow Unicode's full case mapping ("ß".upper() is "SS").
 */
public final class PyStr {
  private PyStr() {}

  /** Python's {@code str.isspace()} for one code point. */
  public static boolean isSpace(int cp) {
    // Character.isWhitespace misses the no-break spaces (U+00A0, U+2007, U+202F) and NEL.
    return Character.isWhitespace(cp) || Character.isSpaceChar(cp) || cp == 0x85;
  }

  /** {@code s.strip()} */
  public static String strip(String s) {
    int start = 0;
    int end = s.length();
    while (start < end && isSpace(s.codePointAt(start))) {
      start += Character.charCount(s.codePointAt(start));
    }
    while (end > start && isSpace(s.codePointBefore(end))) {
      end -= Character.charCount(s.codePointBefore(end));
    }
    return s.substring(start, end);
  }

  /** {@code s.split()}: runs of whitespace separate, no empty pieces. */
  public static List<String> split(String s) {
    List<String> words = new ArrayList<>();
    int i = 0;
    int n = s.length();
    while (i < n) {
      while (i < n && isSpace(s.codePointAt(i))) {
        i += Character.charCount(s.codePointAt(i));
      }
      int start = i;
      while (i < n && !isSpace(s.codePointAt(i))) {
        i += Character.charCount(s.codePointAt(i));
      }
      if (i > start) {
        words.add(s.substring(start, i));
      }
    }
    return words;
  }

  /** {@code ' '.join(s.split())} */
  public static String collapseSpaces(String s) {
    return String.join(" ", split(s));
  }

  /** {@code s.lower()} */
  public static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }

  /** {@code s.upper()} */
  public static String upper(String s) {
    return s.toUpperCase(Locale.ROOT);
  }

  /** {@code len(s)}: code points, not UTF-16 units. */
  public static int len(String s) {
    return s.codePointCount(0, s.length());
  }

  /** {@code s[:n]} in code points. */
  public static String prefix(String s, int n) {
    return len(s) <= n ? s : s.substring(0, s.offsetByCodePoints(0, n));
  }

  /** {@code s.rstrip(chars)} for a set of single-unit characters. */
  public static String rstrip(String s, String chars) {
    int end = s.length();
    while (end > 0 && chars.indexOf(s.charAt(end - 1)) >= 0) {
      end--;
    }
    return s.substring(0, end);
  }
}
