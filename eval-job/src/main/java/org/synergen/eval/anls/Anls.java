package org.synergen.eval.anls;

import java.util.List;
import org.synergen.eval.text.PyStr;

/**
 * Average Normalized Levenshtein Similarity (DocVQA, InfographicVQA), per question: the best
 * similarity 1 - distance / length over the accepted answers, zeroed below the threshold.
 */
public final class Anls {
  public static final double THRESHOLD = 0.5;

  /** Whose script's details to follow. */
  public enum Variant {
    /**
     * The RRC evaluation script (docvqa.org / rrc.cvc.uab.es; VLMEvalKit behaves the same): strip,
     * lower-case and collapse whitespace before the distance, but divide by the longer of the
     * <em>raw</em> upper-cased lengths; a similarity is zeroed only when below 0.5, so exactly 0.5
     * counts. Two empty strings score 1.
     */
    RRC,
    /**
     * pix2struct's anls_metric: lower-case only (no strip, no whitespace collapse), divide by the
     * longer lower-cased length, and keep a similarity only when the normalised distance is below
     * 0.5, so exactly 0.5 scores 0. (Two empty strings make that script divide by zero; here
     * they score 1.)
     */
    PIX2STRUCT
  }

  private final Variant variant;

  public Anls(Variant variant) {
    this.variant = variant;
  }

  public Variant variant() {
    return variant;
  }

  /** The thresholded best similarity of {@code prediction} over {@code answers}, in [0, 1]. */
  public double score(String prediction, List<String> answers) {
    if (answers.isEmpty()) {
      throw new IllegalArgumentException("no accepted answers to score against");
    }
    return variant == Variant.RRC ? rrc(prediction, answers) : pix2struct(prediction, answers);
  }

  private static double rrc(String prediction, List<String> answers) {
    String det = PyStr.collapseSpaces(PyStr.lower(PyStr.strip(prediction)));
    double best = Double.POSITIVE_INFINITY;
    for (String answer : answers) {
      String gt = PyStr.collapseSpaces(PyStr.lower(PyStr.strip(answer)));
      int length = Math.max(PyStr.len(PyStr.upper(answer)), PyStr.len(PyStr.upper(prediction)));
      double normalized = length == 0 ? 0.0 : (double) Levenshtein.distance(gt, det) / length;
      best = Math.min(best, normalized);
    }
    double similarity = 1 - best;
    return similarity < THRESHOLD ? 0.0 : similarity;
  }

  private static double pix2struct(String prediction, List<String> answers) {
    String p = PyStr.lower(prediction);
    double best = 0;
    for (String answer : answers) {
      String t = PyStr.lower(answer);
      int length = Math.max(PyStr.len(t), PyStr.len(p));
      double normalized = length == 0 ? 0.0 : (double) Levenshtein.distance(t, p) / length;
      best = Math.max(best, normalized < THRESHOLD ? 1 - normalized : 0.0);
    }
    return best;
  }
}
