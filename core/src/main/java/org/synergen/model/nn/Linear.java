package org.synergen.model.nn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** y = x W^T (+ b), W in HF layout [out, in]; x is [rows, in]. One gemm forward, two backward. */
public final class Linear {
  private final Parameters p;
  private final String weight;
  private final String bias;
  private INDArray x;

  /** {@code prefix} is e.g. {@code model.layers.0.self_attn.q_proj}. */
  public Linear(Parameters p, String prefix, boolean hasBias) {
    this.p = p;
    this.weight = prefix + ".weight";
    this.bias = hasBias ? prefix + ".bias" : null;
  }

  public INDArray forward(INDArray x) {
    this.x = x;
    INDArray y = Nd4j.gemm(x, p.get(weight), false, true);
    if (bias != null) {
      y.addiRowVector(p.get(bias));
    }
    return y;
  }

  /** Accumulates dW (and db) and returns dx. */
  public INDArray backward(INDArray dy) {
    INDArray gw = p.grad(weight);
    if (gw != null) {
      Nd4j.gemm(dy, x, gw, true, false, 1.0, 1.0);
    }
    if (bias != null) {
      INDArray gb = p.grad(bias);
      if (gb != null) {
        gb.addi(dy.sum(0));
      }
    }
    return Nd4j.gemm(dy, p.get(weight), false, false);
  }
}
