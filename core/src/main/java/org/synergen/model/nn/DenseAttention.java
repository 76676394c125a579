package org.synergen.model.nn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Attention with the whole [batch*heads, seq, seq] score and probability arrays and an additive
 * mask from the {@link SequenceLayout}: the straightforward form, memory quadratic in the sequence
 * length. Kept as the reference {@link BlockwiseAttention} is tested and benchmarked against.
 */
public final class DenseAttention implements AttentionKernel {
  private INDArray q;
  private INDArray k;
  private INDArray v;
  private INDArray probs;
  private double scale;

  @Override
  public INDArray forward(INDArray q, INDArray k, INDArray v, SequenceLayout layout, int heads) {
    this.q = q;
    this.k = k;
    this.v = v;
    this.scale = 1.0 / Math.sqrt(q.size(2));
    INDArray scores = Nd4j.matmul(q, k, null, false, true, false)
        .muli(scale)
        .addi(layout.mask(heads, q.dataType()));
    long t = layout.seq();
    INDArray flat = scores.reshape(scores.length() / t, t);
    Nd4j.exec(new SoftMax(flat, flat, 1));
    probs = flat.reshape(scores.shape());
    return Nd4j.matmul(probs, v);
  }

  @Override
  public Grads backward(INDArray dctx) {
    INDArray dprobs = Nd4j.matmul(dctx, v, null, false, true, false);
    INDArray dv = Nd4j.matmul(probs, dctx, null, true, false, false);
    // softmax backward: dS = P * (dP - sum(dP * P))
    long t = probs.size(2);
    INDArray p2 = probs.reshape(probs.length() / t, t);
    INDArray dp2 = dprobs.reshape(p2.shape());
    INDArray rowDot = dp2.mul(p2).sum(1).reshape(p2.size(0), 1);
    INDArray ds = dp2.subiColumnVector(rowDot).muli(p2).muli(scale).reshape(probs.shape());
    return new Grads(Nd4j.matmul(ds, k), Nd4j.matmul(ds, q, null, true, false, false), dv);
  }
}
