package org.synergen.model.nn;

import java.util.Arrays;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * An output head (hidden rows -> logits) and its mean cross-entropy, run over chunks of rows: each
 * chunk's logits are made, turned into loss and gradient, and sent back through the head before
 * the next chunk starts, so [rows, vocab] logits and their gradient are never whole in memory
 * (4096 x 151,936 floats would be 2.5 GB each). Sums are the same as in one piece; only the
 * float rounding of the loss total differs.
 */
public final class ChunkedHeadLoss {
  private ChunkedHeadLoss() {}

  /** A head whose {@link #backward} follows its last {@link #forward}. */
  public interface Head {
    /** @param targets the chunk's targets (some heads read them: teacher forcing) */
    INDArray forward(INDArray hidden, int[] targets);

    /** Accumulates the head's parameter gradients and returns dL/dhidden. */
    INDArray backward(INDArray dLogits);
  }

  /** A linear classifier (the LM head) as a head. */
  public static Head linear(Linear classifier) {
    return new Head() {
      @Override
      public INDArray forward(INDArray hidden, int[] targets) {
        return classifier.forward(hidden);
      }

      @Override
      public INDArray backward(INDArray dLogits) {
        return classifier.backward(dLogits);
      }
    };
  }

  /**
   * @param rows      the rows of {@code h} that carry targets
   * @param targets   {@code perRow} targets per row, in row order
   * @param weight    the loss term's weight in the total (its gradient is scaled by it)
   * @param dh        where dL/dh is added at {@code rows}; null for the loss alone
   * @return the mean cross-entropy over all targets (unweighted)
   */
  public static double of(Head head, INDArray h, int[] rows, int[] targets, int perRow, int chunkRows,
      double weight, INDArray dh) {
    if (targets.length != rows.length * perRow) {
      throw new IllegalArgumentException(targets.length + " targets for " + rows.length + " rows of " + perRow);
    }
    double sum = 0;
    double scale = weight / targets.length;
    for (int start = 0; start < rows.length; start += chunkRows) {
      int end = Math.min(rows.length, start + chunkRows);
      int[] chunk = Arrays.copyOfRange(rows, start, end);
      int[] chunkTargets = Arrays.copyOfRange(targets, start * perRow, end * perRow);
      // the chunk's logits and the head's temporaries die with this workspace
      try (MemoryWorkspace scratch = StepMemory.headChunk()) {
        CrossEntropy.Result ce = CrossEntropy.of(head.forward(Rows.gather(h, chunk), chunkTargets), chunkTargets, scale);
        sum += ce.sum();
        if (dh != null) {
          Rows.scatterAdd(dh, chunk, head.backward(ce.dLogits()));
        }
      }
    }
    return sum / targets.length;
  }
}
