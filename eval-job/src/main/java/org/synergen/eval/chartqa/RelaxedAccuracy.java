package org.synergen.eval.chartqa;

import java.util.List;
import java.util.OptionalDouble;
import org.synergen.eval.text.PyFloat;
import org.synergen.eval.text.PyStr;

/**
 * ChartQA's relaxed accuracy (pix2struct's relaxed_correctness): numbers within 5% of the target
 * are correct, anything else needs a case-insensitive exact match. A trailing '%' divides by 100,
 * and a target that parses to 0 (or fails to parse) falls back to the string comparison, so "0"
 * vs "0.0" is wrong.
 */
public final class RelaxedAccuracy {
  public static final double MAX_RELATIVE_CHANGE = 0.05;

  /** Which script's calling convention to follow. */
  public enum Variant {
    /** pix2struct (and VLMEvalKit): the ground truth is the target, the prediction is used as is. */
    PIX2STRUCT,
    /**
     * InternVL's evaluate_vqa.py: strips the prediction and passes it as the <em>target</em> (the
     * arguments are swapped there), so the tolerance is relative to the prediction and a
     * prediction of 0 is compared as a string.
     */
    INTERNVL
  }

  private final Variant variant;

  public RelaxedAccuracy(Variant variant) {
    this.variant = variant;
  }

  public Variant variant() {
    return variant;
  }

  /** 1 if correct against any accepted answer, else 0. */
  public double score(String prediction, List<String> answers) {
    if (answers.isEmpty()) {
      throw new IllegalArgumentException("no accepted answers to score against");
    }
    for (String answer : answers) {
      boolean correct = variant == Variant.PIX2STRUCT
          ? correct(answer, prediction)
          : correct(PyStr.strip(prediction), answer);
      if (correct) {
        return 1.0;
      }
    }
    return 0.0;
  }

  /** relaxed_correctness(target, prediction). */
  public static boolean correct(String target, String prediction) {
    OptionalDouble p = toFloat(prediction);
    OptionalDouble t = toFloat(target);
    // Python's "if target_float:" is false for 0.0 (and -0.0) but true for nan.
    if (p.isPresent() && t.isPresent() && t.getAsDouble() != 0.0) {
      double relativeChange = Math.abs(p.getAsDouble() - t.getAsDouble()) / Math.abs(t.getAsDouble());
      return relativeChange <= MAX_RELATIVE_CHANGE;
    }
    return PyStr.lower(prediction).equals(PyStr.lower(target));
  }

  private static OptionalDouble toFloat(String text) {
    if (text.endsWith("%")) {
      OptionalDouble v = PyFloat.parse(PyStr.rstrip(text, "%"));
      return v.isPresent() ? OptionalDouble.of(v.getAsDouble() / 100.0) : v;
    }
    return PyFloat.parse(text);
  }
}
