package org.synergen.model.nn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/** down(silu(gate(x)) * up(x)), no biases (Qwen2 / InternLM2 MLP; also the vision expert). */
public final class SwiGluFfn {
  private final Linear gate;
  private final Linear up;
  private final Linear down;
  private INDArray g;
  private INDArray u;
  private INDArray sig;
  private INDArray silu;

  public SwiGluFfn(Parameters p, String prefix) {
    this.gate = new Linear(p, prefix + ".gate_proj", false);
    this.up = new Linear(p, prefix + ".up_proj", false);
    this.down = new Linear(p, prefix + ".down_proj", false);
  }

  public INDArray forward(INDArray x) {
    g = gate.forward(x);
    u = up.forward(x);
    sig = Transforms.sigmoid(g, true);
    silu = g.mul(sig);
    return down.forward(silu.mul(u));
  }

  public INDArray backward(INDArray dy) {
    INDArray da = down.backward(dy);
    INDArray du = da.mul(silu);
    // silu'(g) = s * (1 + g * (1 - s))
    INDArray dsilu = sig.rsub(1.0).muli(g).addi(1.0).muli(sig);
    INDArray dg = da.muli(u).muli(dsilu);
    return gate.backward(dg).addi(up.backward(du));
  }
}
