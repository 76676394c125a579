package org.synergen.train.distributed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PartitionTreeSumTest {
  /** Values whose float sum depends on the order of addition. */
  private static TensorSet leaf(int p) {
    float[] v = {(float) Math.pow(10, p % 7) * 1.1f + p * 0.1f, 1e-7f * (p + 1), -3.3f * p, 1e8f / (p + 1)};
    return new TensorSet().put("a", new long[] {4}, v);
  }

  private static TensorSet sumInArrivalOrder(int n, List<Integer> order, Random split) {
    // random groups of leaves merged in random order, as executors and the driver would
    List<PartitionTreeSum> parts = new ArrayList<>();
    for (int p : order) {
      if (parts.isEmpty() || split.nextBoolean()) {
        parts.add(new PartitionTreeSum(n));
      }
      parts.get(parts.size() - 1).addLeaf(p, leaf(p));
    }
    Collections.shuffle(parts, split);
    PartitionTreeSum total = new PartitionTreeSum(n);
    for (PartitionTreeSum s : parts) {
      total.merge(s);
    }
    return total.total();
  }

  @Test
  void everyArrivalOrderGivesTheSameBits() {
    for (int n : new int[] {1, 2, 3, 5, 8, 13}) {
      List<Integer> order = new ArrayList<>();
      for (int p = 0; p < n; p++) {
        order.add(p);
      }
      TensorSet first = sumInArrivalOrder(n, order, new Random(0));
      for (int trial = 1; trial < 30; trial++) {
        Random r = new Random(trial);
        Collections.shuffle(order, r);
        assertTrue(first.bitEquals(sumInArrivalOrder(n, order, r)), "n=" + n + " order " + order);
      }
      double[] exact = new double[4];
      for (int p = 0; p < n; p++) {
        for (int i = 0; i < 4; i++) {
          exact[i] += leaf(p).get("a")[i];
        }
      }
      for (int i = 0; i < 4; i++) {
        assertEquals(exact[i], first.get("a")[i], Math.abs(exact[i]) * 1e-6 + 1e-6, "n=" + n + " element " + i);
      }
    }
  }

  @Test
  void aMissingPartitionIsAnError() {
    PartitionTreeSum s = new PartitionTreeSum(3);
    s.addLeaf(0, leaf(0));
    s.addLeaf(2, leaf(2));
    assertThrows(IllegalStateException.class, s::total);
  }
}
