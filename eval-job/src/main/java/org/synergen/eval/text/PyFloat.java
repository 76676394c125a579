package org.synergen.eval.text;

import java.util.OptionalDouble;
import java.util.regex.Pattern;

/**
 * Python's {@code float(text)}: what counts as a number decides whether ChartQA's relaxed accuracy
 * compares numerically or as strings, so Java's own parser (which takes "1d" and "0x1p3" but not
 * "inf" or "1_000") would change scores.
 */
public final class PyFloat {
  private PyFloat() {}

  // Python's float literal grammar: digits may be grouped by single underscores.
  private static final String DIGITS = "[0-9](?:_?[0-9])*";
  private static final Pattern NUMBER = Pattern.compile(
      "[+-]?(?:" + DIGITS + "(?:\\.(?:" + DIGITS + ")?)?|\\." + DIGITS + ")(?:[eE][+-]?" + DIGITS + ")?");
  private static final Pattern SPECIAL = Pattern.compile("[+-]?(?:inf|infinity|nan)", Pattern.CASE_INSENSITIVE);

  /** The value Python's float() gives, or empty where it raises ValueError. */
  public static OptionalDouble parse(String text) {
    String t = asciiDigits(PyStr.strip(text));
    if (NUMBER.matcher(t).matches()) {
      return OptionalDouble.of(Double.parseDouble(t.replace("_", "")));
    }
    if (SPECIAL.matcher(t).matches()) {
      boolean negative = t.startsWith("-");
      String word = t.replaceFirst("^[+-]", "").toLowerCase(java.util.Locale.ROOT);
      if (word.equals("nan")) {
        return OptionalDouble.of(Double.NaN);
      }
      return OptionalDouble.of(negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY);
    }
    return OptionalDouble.empty();
  }

  /** Python accepts any Unicode decimal digit ("١٢" is 12.0); map them to ASCII first. */
  private static String asciiDigits(String s) {
    StringBuilder b = new StringBuilder(s.length());
    s.codePoints().forEach(cp -> {
      if (cp > 127 && Character.getType(cp) == Character.DECIMAL_DIGIT_NUMBER) {
        b.append((char) ('0' + Character.digit(cp, 10)));
      } else {
        b.appendCodePoint(cp);
      }
    });
    return b.toString();
  }
}
