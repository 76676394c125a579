package org.synergen.model.nn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Grouped-query causal self-attention with RoPE (Qwen2 / InternLM2): q/k/v projections (optional
 * biases), key/value heads shared by groups of query heads, per-sample causal attention from the
 * {@link SequenceLayout}'s segment ids, output projection without bias.
 *
 * <p>Heads are laid out as [batch*heads, seq, headDim] so the score and context products are
 * batched matmuls; the softmax core is an {@link AttentionKernel} (blockwise unless
 * {@link Execution#denseAttention}).
 */
public final class CausalSelfAttention {
  private final Linear q;
  private final Linear k;
  private final Linear v;
  private final Linear o;
  private final int heads;
  private final int kvHeads;
  private final int headDim;
  private final double theta;

  private SequenceLayout layout;
  private Rope.Tables qRope;
  private Rope.Tables kRope;
  private AttentionKernel kernel = AttentionKernel.of(Execution.DEFAULT);

  public CausalSelfAttention(Parameters p, String prefix, LayerShape shape) {
    this.q = new Linear(p, prefix + ".q_proj", shape.qkvBias());
    this.k = new Linear(p, prefix + ".k_proj", shape.qkvBias());
    this.v = new Linear(p, prefix + ".v_proj", shape.qkvBias());
    this.o = new Linear(p, prefix + ".o_proj", false);
    this.heads = shape.heads();
    this.kvHeads = shape.kvHeads();
    this.headDim = shape.headDim();
    this.theta = shape.ropeTheta();
  }

  /** Chooses the attention kernel (blockwise or dense) for the next forward passes. */
  public void setExecution(Execution execution) {
    kernel = AttentionKernel.of(execution);
  }

  public INDArray forward(INDArray x, SequenceLayout layout) {
    this.layout = layout;
    qRope = layout.rope(heads, headDim, theta, x.dataType());
    kRope = layout.rope(kvHeads, headDim, theta, x.dataType());
    INDArray qh = toHeads(Rope.forward(q.forward(x), qRope), heads);
    INDArray kh = repeatKv(toHeads(Rope.forward(k.forward(x), kRope), kvHeads));
    INDArray vh = repeatKv(toHeads(v.forward(x), kvHeads));
    return o.forward(fromHeads(kernel.forward(qh, kh, vh, layout, heads), heads));
  }

  public INDArray backward(INDArray dy) {
    INDArray dctx = toHeads(o.backward(dy), heads);
    AttentionKernel.Grads g = kernel.backward(dctx);
    INDArray dq = Rope.backward(fromHeads(g.dq(), heads), qRope);
    INDArray dk = Rope.backward(fromHeads(sumKvGroups(g.dk()), kvHeads), kRope);
    INDArray dv = fromHeads(sumKvGroups(g.dv()), kvHeads);
    return q.backward(dq).addi(k.backward(dk)).addi(v.backward(dv));
  }

  /** [B*T, h*hd] -> [B*h, T, hd]. */
  private INDArray toHeads(INDArray x, int h) {
    int b = layout.batch();
    int t = layout.seq();
    return x.reshape(b, t, h, headDim).permute(0, 2, 1, 3).dup('c').reshape((long) b * h, t, headDim);
  }

  /** [B*h, T, hd] -> [B*T, h*hd]. */
  private INDArray fromHeads(INDArray x, int h) {
    int b = layout.batch();
    int t = layout.seq();
    return x.reshape(b, h, t, headDim).permute(0, 2, 1, 3).dup('c').reshape((long) b * t, (long) h * headDim);
  }

  /** Query head j uses key/value head j / (heads / kvHeads), as HF repeat_kv. */
  private INDArray repeatKv(INDArray x) {
    if (kvHeads == heads) {
      return x;
    }
    int b = layout.batch();
    int t = layout.seq();
    return x.reshape(b, kvHeads, t, headDim).repeat(1, heads / kvHeads).reshape((long) b * heads, t, headDim);
  }

  private INDArray sumKvGroups(INDArray d) {
    if (kvHeads == heads) {
      return d;
    }
    int b = layout.batch();
    int t = layout.seq();
    return d.reshape(b, kvHeads, heads / kvHeads, t, headDim).sum(2).reshape((long) b * kvHeads, t, headDim);
  }
}
