package org.synergen.eval.exact;

import java.util.List;
import org.synergen.eval.text.PyStr;

/** Exact-match accuracy for closed answers (GQA, ScienceQA-IMG, AI2D multiple choice). */
public final class ExactMatch {
  /** How the two sides are normalised before comparing. */
  public enum Variant {
    /** InternVL's evaluate_exact_match_accuracy: both sides stripped and lower-cased. */
    STRIP_LOWER,
    /**
     * GQA: InternVL's convert_gqa_for_eval.py turns the prediction into rstrip('.').lower(), then
     * GQA's eval.py compares it with the gold answer unchanged.
     */
    GQA
  }

  private final Variant variant;

  public ExactMatch(Variant variant) {
    this.variant = variant;
  }

  public Variant variant() {
    return variant;
  }

  /** 1 if the prediction equals any accepted answer, else 0. */
  public double score(String prediction, List<String> answers) {
    for (String answer : answers) {
      boolean equal = variant == Variant.STRIP_LOWER
          ? PyStr.lower(PyStr.strip(prediction)).equals(PyStr.lower(PyStr.strip(answer)))
          : PyStr.lower(PyStr.rstrip(prediction, ".")).equals(answer);
      if (equal) {
        return 1.0;
      }
    }
    return 0.0;
  }
}
