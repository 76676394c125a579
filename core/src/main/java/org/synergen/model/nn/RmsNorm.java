package org.synergen.model.nn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/** y = x / sqrt(mean(x^2) + eps) * w over the last dimension of [rows, d] (Qwen2/InternLM2 RMSNorm). */
public final class RmsNorm {
  private final Parameters p;
  private final String weight;
  private final double eps;
  private INDArray xhat;
  private INDArray rstd;

  public RmsNorm(Parameters p, String prefix, double eps) {
    this.p = p;
    this.weight = prefix + ".weight";
    this.eps = eps;
  }

  public INDArray forward(INDArray x) {
    long rows = x.size(0);
    rstd = Transforms.pow(x.mul(x).mean(1).addi(eps), -0.5, false).reshape(rows, 1);
    xhat = x.mulColumnVector(rstd);
    return xhat.mulRowVector(p.get(weight));
  }

  public INDArray backward(INDArray dy) {
    INDArray gw = p.grad(weight);
    if (gw != null) {
      gw.addi(dy.mul(xhat).sum(0));
    }
    INDArray g = dy.mulRowVector(p.get(weight));
    // d/dx of x*r: r * (g - xhat * mean(g * xhat))
    INDArray dot = g.mul(xhat).mean(1).reshape(xhat.size(0), 1);
    return g.subi(xhat.mulColumnVector(dot)).muliColumnVector(rstd);
  }
}
