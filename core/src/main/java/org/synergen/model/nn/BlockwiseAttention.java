package org.synergen.model.nn;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Flash-style attention: the queries in blocks of {@code block} rows, each block against only the
 * keys it may see, so no [seq, seq] array exists. Memory is linear in the sequence length: one
 * block's [batch*heads, block, keys] scores at a time (in a scratch workspace reset per block),
 * plus one log-sum-exp per query row.
 *
 * <p>Skipped work: a block reads the keys from the first one any of its queries may see (the start
 * of its earliest sample, from the segment ids) up to its own last row. Keys of later positions
 * (causal) and of earlier samples that no query of the block belongs to are never multiplied.
 * Within that range a block needs only the causal triangle on its diagonal unless it straddles a
 * sample boundary; then the {@link SequenceLayout} builds that block's mask.
 *
 * <p>Backward recomputes each block's probabilities as exp(S - lse) from the stored row-wise
 * log-sum-exp instead of keeping them, and uses rowsum(dO * O) for the softmax backward
 * (dS = P * (dP - rowsum(dO * O))), both as in FlashAttention.
 */
public final class BlockwiseAttention implements AttentionKernel {
  private final int block;
  private SequenceLayout layout;
  private int heads;
  private double scale;
  /** The queries times 1/sqrt(headDim). */
  private INDArray q;
  private INDArray k;
  private INDArray v;
  private INDArray out;
  private INDArray lse;

  public BlockwiseAttention(int block) {
    if (block < 1) {
      throw new IllegalArgumentException("attention block must be at least 1 row, got " + block);
    }
    this.block = block;
  }

  @Override
  public INDArray forward(INDArray q, INDArray k, INDArray v, SequenceLayout layout, int heads) {
    this.layout = layout;
    this.heads = heads;
    this.scale = 1.0 / Math.sqrt(q.size(2));
    // scaled once here rather than every block's scores (and their recomputation in backward)
    this.q = q.mul(scale);
    this.k = k;
    this.v = v;
    long bh = q.size(0);
    long hd = q.size(2);
    int t = layout.seq();
    out = Nd4j.createUninitialized(q.dataType(), bh, t, q.size(2));
    lse = Nd4j.createUninitialized(q.dataType(), bh, t);
    for (int qs = 0; qs < t; qs += block) {
      int qe = Math.min(t, qs + block);
      int lo = layout.firstVisibleKey(qs);
      long n = bh * (qe - qs);
      // the block's temporaries die with this workspace; its results are written into out and lse
      try (MemoryWorkspace scratch = StepMemory.attentionBlock()) {
        INDArray p = scores(qs, qe, lo);
        INDArray p2 = p.reshape(n, qe - lo);
        INDArray max = p2.max(1).reshape(n, 1);
        Transforms.exp(p2.subiColumnVector(max), false);
        INDArray sum = p2.sum(1).reshape(n, 1);
        // normalised after the product: [rows, headDim] divisions instead of [rows, keys]
        INDArray ctx = Nd4j.matmul(p, v.get(all(), interval(lo, qe), all())).reshape(n, hd).diviColumnVector(sum);
        out.get(all(), interval(qs, qe), all()).assign(ctx.reshape(bh, qe - qs, hd));
        lse.get(all(), interval(qs, qe)).assign(Transforms.log(sum, false).addi(max).reshape(bh, qe - qs));
      }
    }
    return out;
  }

  @Override
  public Grads backward(INDArray dctx) {
    long bh = q.size(0);
    int t = layout.seq();
    INDArray dq = Nd4j.createUninitialized(q.dataType(), q.shape());
    INDArray dk = Nd4j.zeros(q.dataType(), q.shape());
    INDArray dv = Nd4j.zeros(q.dataType(), q.shape());
    INDArray delta = dctx.mul(out).sum(2);
    for (int qs = 0; qs < t; qs += block) {
      int qe = Math.min(t, qs + block);
      int lo = layout.firstVisibleKey(qs);
      long n = bh * (qe - qs);
      try (MemoryWorkspace scratch = StepMemory.attentionBlock()) {
        INDArray p = scores(qs, qe, lo);
        INDArray p2 = p.reshape(n, qe - lo);
        Transforms.exp(p2.subiColumnVector(lse.get(all(), interval(qs, qe)).dup('c').reshape(n, 1)), false);
        INDArray dOut = dctx.get(all(), interval(qs, qe), all());
        INDArray keys = k.get(all(), interval(lo, qe), all());
        dv.get(all(), interval(lo, qe), all()).addi(Nd4j.matmul(p, dOut, null, true, false, false));
        INDArray ds = Nd4j.matmul(dOut, v.get(all(), interval(lo, qe), all()), null, false, true, false);
        // dS = P * (dP - rowsum(dO * O)); the scale goes onto dq here and is already in q for dk
        ds.reshape(n, qe - lo)
            .subiColumnVector(delta.get(all(), interval(qs, qe)).dup('c').reshape(n, 1))
            .muli(p2);
        dq.get(all(), interval(qs, qe), all()).assign(Nd4j.matmul(ds, keys).muli(scale));
        dk.get(all(), interval(lo, qe), all())
            .addi(Nd4j.matmul(ds, q.get(all(), interval(qs, qe), all()), null, true, false, false));
      }
    }
    return new Grads(dq, dk, dv);
  }

  /** Scaled, masked scores [batch*heads, qe - qs, qe - lo] of queries [qs, qe) against keys [lo, qe). */
  private INDArray scores(int qs, int qe, int lo) {
    INDArray s = Nd4j.matmul(q.get(all(), interval(qs, qe), all()), k.get(all(), interval(lo, qe), all()),
        null, false, true, false);
    INDArray mask = layout.blockMask(qs, qe, lo, heads, s.dataType());
    if (mask != null) {
      return s.addi(mask);
    }
    s.get(all(), all(), interval(qs - lo, qe - lo)).addi(layout.causalMask(qe - qs, heads, s.dataType()));
    return s;
  }
}
