package org.synergen.model.nn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link CausalSelfAttention}'s forward for decoding: the same projections, RoPE and grouped
 * heads, but the new positions' keys and values are appended to a {@link KvCache} and the queries
 * attend to everything cached. No backward.
 *
 * <p>The {@code group} query heads that share a key/value head are stacked along the query axis
 * ([batch*kvHeads, group*n, headDim]) instead of repeating the cached keys: one batched matmul
 * per layer, no copy of the cache per group.
 */
public final class CachedAttention {
  private final Linear q;
  private final Linear k;
  private final Linear v;
  private final Linear o;
  private final int heads;
  private final int kvHeads;
  private final int headDim;
  private final double theta;

  /** Reads the same tensors as {@link CausalSelfAttention} under {@code prefix}. */
  public CachedAttention(Parameters p, String prefix, LayerShape shape) {
    this.q = new Linear(p, prefix + ".q_proj", shape.qkvBias());
    this.k = new Linear(p, prefix + ".k_proj", shape.qkvBias());
    this.v = new Linear(p, prefix + ".v_proj", shape.qkvBias());
    this.o = new Linear(p, prefix + ".o_proj", false);
    this.heads = shape.heads();
    this.kvHeads = shape.kvHeads();
    this.headDim = shape.headDim();
    this.theta = shape.ropeTheta();
  }

  /**
   * @param x         [batch*n, width] the normed inputs of n new slots per row
   * @param positions their RoPE positions ({@link KvCache#positions})
   * @param mask      {@link KvCache#mask} for these slots
   */
  public INDArray forward(INDArray x, int layer, KvCache cache, int n, int[] positions, INDArray mask) {
    int b = cache.batch();
    int group = heads / kvHeads;
    Rope.Tables qRope = Rope.tables(positions, heads, headDim, theta, x.dataType());
    Rope.Tables kRope = Rope.tables(positions, kvHeads, headDim, theta, x.dataType());
    INDArray qh = toHeads(Rope.forward(q.forward(x), qRope), b, n, heads)
        .reshape((long) b * kvHeads, (long) group * n, headDim);
    cache.write(layer, toHeads(Rope.forward(k.forward(x), kRope), b, n, kvHeads),
        toHeads(v.forward(x), b, n, kvHeads), n);
    INDArray keys = cache.keysUpTo(layer, n);
    INDArray scores = Nd4j.matmul(qh, keys, null, false, true, false).muli(1.0 / Math.sqrt(headDim)).addi(mask);
    long total = keys.size(1);
    INDArray flat = scores.reshape(scores.length() / total, total);
    Nd4j.exec(new SoftMax(flat, flat, 1));
    INDArray ctx = Nd4j.matmul(flat.reshape(scores.shape()), cache.valuesUpTo(layer, n))
        .reshape((long) b * heads, n, headDim);
    return o.forward(fromHeads(ctx, b, n));
  }

  /** [B*n, h*hd] -> [B*h, n, hd]. */
  private INDArray toHeads(INDArray x, int b, int n, int h) {
    return x.reshape(b, n, h, headDim).permute(0, 2, 1, 3).dup('c').reshape((long) b * h, n, headDim);
  }

  /** [B*heads, n, hd] -> [B*n, heads*hd]. */
  private INDArray fromHeads(INDArray x, int b, int n) {
    return x.reshape(b, heads, n, headDim).permute(0, 2, 1, 3).dup('c').reshape((long) b * n, (long) heads * headDim);
  }
}
