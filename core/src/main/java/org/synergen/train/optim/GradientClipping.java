package org.synergen.train.optim;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.synergen.model.nn.Rows;
import org.synergen.train.freeze.TrainableSet;

/** Clipping by global L2 norm over what actually trains (frozen rows do not count). */
public final class GradientClipping {
  private GradientClipping() {}

  /** Global norm of the trained part of {@code grads}. */
  public static double globalNorm(Map<String, INDArray> grads, TrainableSet trainable) {
    double sq = 0;
    for (String name : trainable.names()) {
      INDArray g = grads.get(name);
      if (g == null) {
        continue;
      }
      int[] rows = trainable.rows(name);
      double n = (rows == null ? g : Rows.gather(g, rows)).norm2Number().doubleValue();
      sq += n * n;
    }
    return Math.sqrt(sq);
  }

  /** Scales the gradients in place so their global norm is at most {@code maxNorm}; returns the norm before. */
  public static double clip(Map<String, INDArray> grads, TrainableSet trainable, double maxNorm) {
    double norm = globalNorm(grads, trainable);
    if (norm > maxNorm) {
      double scale = maxNorm / (norm + 1e-6);
      for (String name : trainable.names()) {
        INDArray g = grads.get(name);
        if (g != null) {
          g.muli(scale);
        }
      }
    }
    return norm;
  }
}
