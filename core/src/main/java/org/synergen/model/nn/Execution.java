package org.synergen.model.nn;

import java.io.Serializable;

/**
 * How the model's math is carried out, not what it computes: every choice gives the same losses
 * and gradients (up to float rounding) and trades memory for time.
 *
 * @param denseAttention   use {@link DenseAttention} (memory quadratic in the sequence length)
 *                         instead of {@link BlockwiseAttention}; for reference runs only
 * @param attentionBlock   query rows per block of {@link BlockwiseAttention}
 * @param checkpointLayers keep only each decoder layer's input in the forward pass and recompute
 *                         the layer in backward (activation checkpointing)
 * @param headChunkRows    rows per chunk of the LM head / unfolding head and their cross-entropy,
 *                         so [rows, vocab] logits are never whole in memory
 */
public record Execution(boolean denseAttention, int attentionBlock, boolean checkpointLayers, int headChunkRows)
    implements Serializable {
  /** Blockwise attention in blocks of 128 rows, no checkpointing, heads in chunks of 512 rows. */
  public static final Execution DEFAULT = new Execution(false, 128, false, 512);

  public Execution {
    if (attentionBlock < 1 || headChunkRows < 1) {
      throw new IllegalArgumentException("attention block (" + attentionBlock + ") and head chunk ("
          + headChunkRows + ") must be at least 1 row");
    }
  }

  public Execution withDenseAttention(boolean dense) {
    return new Execution(dense, attentionBlock, checkpointLayers, headChunkRows);
  }

  public Execution withAttentionBlock(int rows) {
    return new Execution(denseAttention, rows, checkpointLayers, headChunkRows);
  }

  public Execution withCheckpointLayers(boolean checkpoint) {
    return new Execution(denseAttention, attentionBlock, checkpoint, headChunkRows);
  }

  public Execution withHeadChunkRows(int rows) {
    return new Execution(denseAttention, attentionBlock, checkpointLayers, rows);
  }
}
