package org.synergen.model.nn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/** Softmax cross-entropy summed over rows of logits [rows, classes], with its gradient. */
public final class CrossEntropy {
  private CrossEntropy() {}

  /** @param sum sum over rows of -log softmax(logits)[target]; @param dLogits its gradient (times {@code scale}) */
  public record Result(double sum, INDArray dLogits) {}

  /** @param scale multiplies the gradient (e.g. lambda / number of targets, for a weighted mean) */
  public static Result of(INDArray logits, int[] targets, double scale) {
    long rows = logits.size(0);
    if (targets.length != rows) {
      throw new IllegalArgumentException("targets " + targets.length + " != logit rows " + rows);
    }
    long classes = logits.size(1);
    INDArray max = logits.max(1).reshape(rows, 1);
    INDArray e = Transforms.exp(logits.subColumnVector(max), false);
    INDArray sum = e.sum(1).reshape(rows, 1);
    double total = 0;
    for (int i = 0; i < rows; i++) {
      if (targets[i] < 0 || targets[i] >= classes) {
        throw new IllegalArgumentException("target " + targets[i] + " at row " + i + " is outside [0, " + classes + ")");
      }
      // -log p = log(sum) + max - logit
      total += Math.log(sum.getDouble(i, 0)) + max.getDouble(i, 0) - logits.getDouble(i, targets[i]);
    }
    INDArray d = e.diviColumnVector(sum);
    for (int i = 0; i < rows; i++) {
      d.putScalar(i, targets[i], d.getDouble(i, targets[i]) - 1.0);
    }
    d.muli(scale);
    return new Result(total, d);
  }
}
