package org.synergen.model.nn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/** Row gather / scatter on [rows, width] matrices: lookups, routing and their gradients. */
public final class Rows {
  private Rows() {}

  /** A new [idx.length, width] matrix of the chosen rows. */
  public static INDArray gather(INDArray src, int[] idx) {
    return Nd4j.pullRows(src, 1, idx);
  }

  /** dst[idx[i]] += src[i], in place; repeated indices accumulate. */
  public static void scatterAdd(INDArray dst, int[] idx, INDArray src) {
    if (idx.length == 0) {
      return;
    }
    Nd4j.exec(DynamicCustomOp.builder("scatter_add")
        .addInputs(dst, Nd4j.createFromArray(idx), src)
        .addOutputs(dst)
        .build());
  }
}
