package org.synergen.model.decode;

/**
 * Classifier-free guidance on one row of id logits, as transformers'
 * {@code UnbatchedClassifierFreeGuidanceLogitsProcessor} (which Emu3's image generation uses):
 * {@code g * (log_softmax(cond) - log_softmax(uncond)) + log_softmax(uncond)}. With g = 1 this is
 * log_softmax(cond): sampling is then the same as without guidance.
 */
public final class ClassifierFreeGuidance {
  private ClassifierFreeGuidance() {}

  public static double[] apply(double[] cond, double[] uncond, double scale) {
    if (cond.length != uncond.length) {
      throw new IllegalArgumentException("guidance: " + cond.length + " conditional logits, " + uncond.length
          + " unconditional");
    }
    double[] c = logSoftmax(cond);
    double[] u = logSoftmax(uncond);
    double[] out = new double[c.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = scale * (c[i] - u[i]) + u[i];
    }
    return out;
  }

  static double[] logSoftmax(double[] x) {
    double max = Double.NEGATIVE_INFINITY;
    for (double v : x) {
      max = Math.max(max, v);
    }
    double sum = 0;
    for (double v : x) {
      sum += Math.exp(v - max);
    }
    double lse = max + Math.log(sum);
    double[] out = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      out[i] = x[i] - lse;
    }
    return out;
  }
}
