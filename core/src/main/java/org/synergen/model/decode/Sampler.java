package org.synergen.model.decode;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Draws ids by {@link Sampling} from its own seeded random stream: the same seed and logits give
 * the same ids. One sampler per generated sequence, so a row's ids do not depend on its batch.
 */
public final class Sampler {
  private final Sampling sampling;
  private final SplittableRandom random;

  public Sampler(Sampling sampling, long seed) {
    this.sampling = sampling;
    this.random = new SplittableRandom(seed);
  }

  public Sampling sampling() {
    return sampling;
  }

  /** The next id from one row of logits (any additive offset, e.g. log-probabilities, is fine). */
  public int next(double[] logits) {
    if (sampling.greedy()) {
      return argmax(logits);
    }
    double[] z = warp(logits);
    double max = Double.NEGATIVE_INFINITY;
    for (double v : z) {
      max = Math.max(max, v);
    }
    double sum = 0;
    double[] p = new double[z.length];
    for (int i = 0; i < z.length; i++) {
      p[i] = Math.exp(z[i] - max);
      sum += p[i];
    }
    double u = random.nextDouble() * sum;
    double acc = 0;
    int last = -1;
    for (int i = 0; i < p.length; i++) {
      if (p[i] > 0) {
        acc += p[i];
        last = i;
        if (u < acc) {
          return i;
        }
      }
    }
    return last;
  }

  /** Temperature, then top-k, then top-p: removed entries become -inf (transformers' warpers). */
  double[] warp(double[] logits) {
    double[] z = new double[logits.length];
    for (int i = 0; i < z.length; i++) {
      z[i] = logits[i] / sampling.temperature();
    }
    int k = sampling.topK();
    if (k > 0 && k < z.length) {
      double[] sorted = z.clone();
      Arrays.sort(sorted);
      double kth = sorted[z.length - k];
      // as transformers' TopKLogitsWarper: everything below the k-th largest goes (ties at it stay)
      for (int i = 0; i < z.length; i++) {
        if (z[i] < kth) {
          z[i] = Double.NEGATIVE_INFINITY;
        }
      }
    }
    if (sampling.topP() < 1) {
      topP(z, sampling.topP());
    }
    return z;
  }

  /** Keeps the most probable ids until their mass reaches p (always at least one). */
  private static void topP(double[] z, double p) {
    Integer[] order = new Integer[z.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Double.compare(z[b], z[a]));
    double max = z[order[0]];
    double sum = 0;
    for (double v : z) {
      sum += Math.exp(v - max);
    }
    double acc = 0;
    int keep = 0;
    while (keep < order.length && (keep == 0 || acc < p)) {
      acc += Math.exp(z[order[keep]] - max) / sum;
      keep++;
    }
    for (int r = keep; r < order.length; r++) {
      z[order[r]] = Double.NEGATIVE_INFINITY;
    }
  }

  static int argmax(double[] logits) {
    int best = 0;
    for (int i = 1; i < logits.length; i++) {
      if (logits[i] > logits[best]) {
        best = i;
      }
    }
    return best;
  }
}
