package org.synergen.model.nn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Erf;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/** Exact (erf) GELU: x * Phi(x), derivative Phi(x) + x * phi(x). */
public final class Gelu {
  private static final double INV_SQRT2 = 1.0 / Math.sqrt(2.0);
  private static final double INV_SQRT_2PI = 1.0 / Math.sqrt(2.0 * Math.PI);
  private INDArray x;
  private INDArray cdf;

  public INDArray forward(INDArray x) {
    this.x = x;
    INDArray z = x.mul(INV_SQRT2);
    Nd4j.exec(new Erf(z, z));
    cdf = z.addi(1.0).muli(0.5);
    return x.mul(cdf);
  }

  public INDArray backward(INDArray dy) {
    INDArray pdf = Transforms.exp(x.mul(x).muli(-0.5), false).muli(INV_SQRT_2PI);
    return pdf.muli(x).addi(cdf).muli(dy);
  }
}
