package org.synergen.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.synergen.train.freeze.TrainableSet;
import org.synergen.train.optim.AdamW;
import org.synergen.train.optim.GradientClipping;

/** AdamW against a scalar re-statement of PyTorch's torch.optim.AdamW update rule. */
class AdamWTest {

  @Test
  void matchesScalarReferenceOverSeveralSteps() {
    double lr = 0.01;
    double wd = 0.1;
    double[] w0 = {0.5, -1.0, 2.0, 0.25, -0.75, 1.5};
    double[] b0 = {0.3, -0.2};
    double[][] gradsW = {{0.1, -0.2, 0.3, 0.0, 1.0, -2.0}, {-0.5, 0.4, 0.1, 0.2, 0.0, 0.3}, {1.0, 1.0, -1.0, 0.5, 0.5, 0.5}};
    double[][] gradsB = {{0.2, -0.1}, {0.3, 0.3}, {-0.4, 0.1}};

    Map<String, INDArray> params = new LinkedHashMap<>();
    params.put("w", Nd4j.createFromArray(w0.clone()).reshape(2, 3));
    params.put("b", Nd4j.createFromArray(b0.clone()));
    AdamW opt = AdamW.paper(wd);
    TrainableSet all = new TrainableSet(nullRows("w", "b"));
    double[] w = w0.clone();
    double[] b = b0.clone();
    double[] mw = new double[6], vw = new double[6], mb = new double[2], vb = new double[2];
    for (int s = 0; s < 3; s++) {
      Map<String, INDArray> g = Map.of("w", Nd4j.createFromArray(gradsW[s]).reshape(2, 3),
          "b", Nd4j.createFromArray(gradsB[s]));
      opt.step(params, g, all, lr);
      reference(w, gradsW[s], mw, vw, s + 1, lr, wd);
      reference(b, gradsB[s], mb, vb, s + 1, lr, 0.0); // vectors are not decayed
    }
    assertArrayEquals(w, params.get("w").reshape(6).toDoubleVector(), 1e-12);
    assertArrayEquals(b, params.get("b").toDoubleVector(), 1e-12);
    assertEquals(3L, opt.state().get("w.step").getLong(0));
  }

  @Test
  void rowTrainedTensorChangesOnlyItsRowsAndStateRoundTrips() {
    INDArray p = Nd4j.createFromArray(new double[] {1, 2, 3, 4, 5, 6, 7, 8}).reshape(4, 2);
    INDArray before = p.dup();
    Map<String, INDArray> params = Map.of("e", p);
    Map<String, int[]> rows = new LinkedHashMap<>();
    rows.put("e", new int[] {2});
    TrainableSet t = new TrainableSet(rows);
    AdamW opt = AdamW.paper(0.5);
    opt.step(params, Map.of("e", Nd4j.ones(p.dataType(), 4, 2)), t, 0.1);
    for (int r : new int[] {0, 1, 3}) {
      assertEquals(before.getRow(r), p.getRow(r));
    }
    double[] w = {5, 6};
    reference(w, new double[] {1, 1}, new double[2], new double[2], 1, 0.1, 0.5);
    assertArrayEquals(w, p.getRow(2).toDoubleVector(), 1e-12);
    assertArrayEquals(new long[] {1, 2}, opt.state().get("e.m").shape());

    AdamW copy = AdamW.paper(0.5);
    copy.loadState(opt.state());
    INDArray p2 = p.dup();
    opt.step(params, Map.of("e", Nd4j.ones(p.dataType(), 4, 2)), t, 0.1);
    copy.step(Map.of("e", p2), Map.of("e", Nd4j.ones(p.dataType(), 4, 2)), t, 0.1);
    assertEquals(p, p2);
  }

  @Test
  void clippingScalesToTheMaximumNorm() {
    Map<String, INDArray> g = Map.of("a", Nd4j.createFromArray(3.0, 0.0), "b", Nd4j.createFromArray(4.0));
    TrainableSet t = new TrainableSet(nullRows("a", "b"));
    assertEquals(5.0, GradientClipping.clip(g, t, 1.0), 1e-12);
    assertEquals(1.0, GradientClipping.globalNorm(g, t), 1e-5);
    assertEquals(0.6, g.get("a").getDouble(0), 1e-5);
  }

  private static Map<String, int[]> nullRows(String... names) {
    Map<String, int[]> m = new LinkedHashMap<>();
    for (String n : names) {
      m.put(n, null);
    }
    return m;
  }

  /** torch.optim.AdamW, one element at a time. */
  private static void reference(double[] p, double[] g, double[] m, double[] v, int t, double lr, double wd) {
    double b1 = 0.9;
    double b2 = 0.95;
    for (int i = 0; i < p.length; i++) {
      p[i] *= 1 - lr * wd;
      m[i] = b1 * m[i] + (1 - b1) * g[i];
      v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
      double mhat = m[i] / (1 - Math.pow(b1, t));
      double denom = Math.sqrt(v[i]) / Math.sqrt(1 - Math.pow(b2, t)) + 1e-8;
      p[i] -= lr * mhat / denom;
    }
  }
}
