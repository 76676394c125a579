package org.synergen.train.optim;

import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.synergen.model.nn.Rows;
import org.synergen.model.nn.StepMemory;
import org.synergen.train.freeze.TrainableSet;

/**
 * AdamW (Loshchilov and Hutter) as in PyTorch's {@code torch.optim.AdamW}: decoupled weight decay
 * p *= 1 - lr * wd, then p -= lr * mhat / (sqrt(vhat) + eps) with bias-corrected moments.
 *
 * <p>Weight decay applies to matrices (rank >= 2) only, not to norm weights and biases (the usual
 * GPT practice; the paper does not say). State per trained tensor: {@code m}, {@code v} (shaped
 * like the trained part: for a row-trained tensor only those rows) and its own {@code step}.
 * Frozen tensors and frozen rows are never written.
 */
public final class AdamW {
  private final double beta1;
  private final double beta2;
  private final double eps;
  private final double weightDecay;
  private final Map<String, INDArray> m = new LinkedHashMap<>();
  private final Map<String, INDArray> v = new LinkedHashMap<>();
  private final Map<String, Long> step = new LinkedHashMap<>();

  public AdamW(double beta1, double beta2, double eps, double weightDecay) {
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.eps = eps;
    this.weightDecay = weightDecay;
  }

  /** The paper's settings: betas (0.9, 0.95), eps 1e-8. */
  public static AdamW paper(double weightDecay) {
    return new AdamW(0.9, 0.95, 1e-8, weightDecay);
  }

  /**
   * One update of every trained tensor that has a gradient in {@code grads}. Each tensor's
   * temporaries (four of its size) live in a scratch workspace reused for the next tensor; as plain
   * arrays they would wait for the garbage collector, and a step of a 0.5B model would leave
   * gigabytes of them behind.
   */
  public void step(Map<String, INDArray> params, Map<String, INDArray> grads, TrainableSet trainable, double lr) {
    for (String name : trainable.names()) {
      INDArray g = grads.get(name);
      if (g == null) {
        continue;
      }
      INDArray p = params.get(name);
      int[] rows = trainable.rows(name);
      long[] shape = rows == null ? p.shape() : new long[] {rows.length, p.size(1)};
      INDArray mt = m.computeIfAbsent(name, n -> Nd4j.zeros(p.dataType(), shape));
      INDArray vt = v.computeIfAbsent(name, n -> Nd4j.zeros(p.dataType(), shape));
      long t = step.merge(name, 1L, Long::sum);
      try (MemoryWorkspace scratch = StepMemory.optimizerScratch()) {
        if (rows == null) {
          update(p, g, mt, vt, t, lr);
        } else {
          INDArray part = Rows.gather(p, rows);
          update(part, Rows.gather(g, rows), mt, vt, t, lr);
          for (int i = 0; i < rows.length; i++) {
            p.putRow(rows[i], part.getRow(i));
          }
        }
      }
    }
  }

  private void update(INDArray p, INDArray g, INDArray mt, INDArray vt, long t, double lr) {
    if (weightDecay != 0 && p.rank() >= 2) {
      p.muli(1.0 - lr * weightDecay);
    }
    mt.muli(beta1).addi(g.mul(1.0 - beta1));
    vt.muli(beta2).addi(g.mul(g).muli(1.0 - beta2));
    double bc1 = 1.0 - Math.pow(beta1, t);
    double bc2 = 1.0 - Math.pow(beta2, t);
    INDArray denom = Transforms.sqrt(vt, true).divi(Math.sqrt(bc2)).addi(eps);
    p.subi(mt.div(denom).muli(lr / bc1));
  }

  /**
   * The optimizer state as named arrays ({@code name.m}, {@code name.v}, and {@code name.step} as
   * a one-element INT64 array), live views: a distributed trainer may average or ship them.
   */
  public Map<String, INDArray> state() {
    Map<String, INDArray> out = new LinkedHashMap<>();
    for (String name : m.keySet()) {
      out.put(name + ".m", m.get(name));
      out.put(name + ".v", v.get(name));
      out.put(name + ".step", Nd4j.createFromArray(step.get(name)));
    }
    return out;
  }

  /** Replaces the state with {@link #state()}-shaped arrays (copied). */
  public void loadState(Map<String, INDArray> state) {
    m.clear();
    v.clear();
    step.clear();
    for (Map.Entry<String, INDArray> e : state.entrySet()) {
      String key = e.getKey();
      if (key.endsWith(".m")) {
        m.put(key.substring(0, key.length() - 2), e.getValue().dup());
      } else if (key.endsWith(".v")) {
        v.put(key.substring(0, key.length() - 2), e.getValue().dup());
      } else if (key.endsWith(".step")) {
        step.put(key.substring(0, key.length() - 5), e.getValue().getLong(0));
      } else {
        throw new IllegalArgumentException("unknown AdamW state entry " + key);
      }
    }
  }
}
