package org.synergen.model.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The softmax(Q K^T / sqrt(d) + mask) V core of causal self-attention over heads laid out as
 * [batch*heads, seq, headDim], with its backward pass. One instance per layer: it keeps what its
 * backward needs from the last forward. Two implementations compute the same function:
 * {@link BlockwiseAttention} (the default; memory linear in the sequence length) and
 * {@link DenseAttention} (the whole [seq, seq] score matrix; the reference it is tested against).
 */
public interface AttentionKernel {

  /** Gradients of q, k and v, each [batch*heads, seq, headDim]. */
  record Grads(INDArray dq, INDArray dk, INDArray dv) {}

  /**
   * @param heads query heads per batch row (k and v are already repeated to this many)
   * @return the context [batch*heads, seq, headDim]
   */
  INDArray forward(INDArray q, INDArray k, INDArray v, SequenceLayout layout, int heads);

  Grads backward(INDArray dContext);

  /** A fresh kernel as {@code execution} asks for. */
  static AttentionKernel of(Execution execution) {
    return execution.denseAttention() ? new DenseAttention() : new BlockwiseAttention(execution.attentionBlock());
  }
}
