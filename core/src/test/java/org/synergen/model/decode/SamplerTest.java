package org.synergen.model.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The sampler's filters against hand-computed distributions. */
class SamplerTest {
  // probabilities 0.5, 0.3, 0.15, 0.05
  static final double[] LOGITS = {Math.log(0.5), Math.log(0.3), Math.log(0.15), Math.log(0.05)};

  static int[] counts(Sampling s, long seed, int draws) {
    Sampler sampler = new Sampler(s, seed);
    int[] c = new int[LOGITS.length];
    for (int i = 0; i < draws; i++) {
      c[sampler.next(LOGITS)]++;
    }
    return c;
  }

  @Test
  void greedyTakesTheFirstHighest() {
    assertEquals(1, new Sampler(Sampling.GREEDY, 0).next(new double[] {1, 3, 3, 2}));
  }

  @Test
  void plainSamplingFollowsTheSoftmax() {
    int[] c = counts(new Sampling(1, 0, 1), 42, 20000);
    assertEquals(0.5, c[0] / 20000.0, 0.015);
    assertEquals(0.3, c[1] / 20000.0, 0.015);
    assertEquals(0.05, c[3] / 20000.0, 0.01);
  }

  @Test
  void topKAndTopPCutTheTail() {
    int[] k2 = counts(new Sampling(1, 2, 1), 1, 5000);
    assertEquals(0, k2[2] + k2[3]);
    assertEquals(0.5 / 0.8, k2[0] / 5000.0, 0.03);
    // top-p 0.7: 0.5 < 0.7, 0.5 + 0.3 >= 0.7 -> ids 0 and 1 stay
    int[] p = counts(new Sampling(1, 0, 0.7), 2, 5000);
    assertEquals(0, p[2] + p[3]);
    assertTrue(p[1] > 0);
  }

  @Test
  void temperatureSharpens() {
    // T = 0.5 squares the probabilities: 0.25, 0.09, ... renormalised
    int[] c = counts(new Sampling(0.5, 0, 1), 3, 20000);
    double z = 0.25 + 0.09 + 0.0225 + 0.0025;
    assertEquals(0.25 / z, c[0] / 20000.0, 0.015);
  }

  @Test
  void theSameSeedDrawsTheSameIds() {
    assertEquals(java.util.Arrays.toString(counts(new Sampling(1, 0, 1), 7, 50)),
        java.util.Arrays.toString(counts(new Sampling(1, 0, 1), 7, 50)));
  }
}
