package org.synergen.eval.pope;

import java.util.Arrays;
import java.util.List;

/**
 * POPE (object hallucination, yes/no questions) as LLaVA's eval_pope.py scores it, per category
 * (adversarial, popular, random); InternVL's copy adds the mean F1 over categories as its headline.
 */
public final class Pope {
  private Pope() {}

  /**
   * The answer as LLaVA reads it: only the text before the first '.', commas removed, split on
   * single spaces; "no" if a word is exactly "No", "no" or "not", otherwise "yes" (so "NO" and
   * "Nope" count as yes, exactly like the script).
   */
  public static boolean saysYes(String answer) {
    String text = answer;
    int period = text.indexOf('.');
    if (period >= 0) {
      text = text.substring(0, period);
    }
    List<String> words = Arrays.asList(text.replace(",", "").split(" ", -1));
    return !(words.contains("No") || words.contains("not") || words.contains("no"));
  }

  /** The label as the script reads it: "no" is negative, anything else positive. */
  public static boolean labelIsYes(String label) {
    return !label.equals("no");
  }

  /** Confusion counts of one category, with the script's metrics. */
  public record Counts(int tp, int fp, int tn, int fn) {
    public Counts add(boolean predictedYes, boolean labelYes) {
      if (predictedYes) {
        return labelYes ? new Counts(tp + 1, fp, tn, fn) : new Counts(tp, fp + 1, tn, fn);
      }
      return labelYes ? new Counts(tp, fp, tn, fn + 1) : new Counts(tp, fp, tn + 1, fn);
    }

    public int total() {
      return tp + fp + tn + fn;
    }

    // A zero denominator raises ZeroDivisionError in the script; here it gives NaN (null in JSON).
    public double precision() {
      return (double) tp / (tp + fp);
    }

    public double recall() {
      return (double) tp / (tp + fn);
    }

    public double f1() {
      double p = precision();
      double r = recall();
      return 2 * p * r / (p + r);
    }

    public double accuracy() {
      return (double) (tp + tn) / total();
    }

    public double yesRatio() {
      return (double) (tp + fp) / total();
    }
  }
}
