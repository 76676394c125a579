package org.synergen.model.vision;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;
import static org.nd4j.linalg.indexing.NDArrayIndex.point;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.synergen.config.ModelConfig;
import org.synergen.model.nn.ChunkedHeadLoss;
import org.synergen.model.nn.Execution;
import org.synergen.model.nn.LayerShape;
import org.synergen.model.nn.Linear;
import org.synergen.model.nn.Parameters;
import org.synergen.model.nn.Routing;
import org.synergen.model.nn.Rows;
import org.synergen.model.nn.SequenceLayout;
import org.synergen.model.nn.Transformer;

/**
 * Token unfolding head: a small causal transformer with the LLM's micro-architecture that turns
 * one LLM hidden state into the m*n image ids of a folded block, one by one.
 *
 * <p>For a block its input sequence has m*n slots: slot 0 is the LLM hidden state h (projected by
 * {@code vision.unfold_head.proj} when the widths differ), slot s > 0 is the embedding of the
 * block's id s-1 (teacher forcing while training; the ids sampled so far at inference). A learned
 * slot table is added to every slot. The output at slot s predicts id s through the head's own
 * classifier over the codebook. Blocks are independent sequences (one batch row each).
 *
 * <p>Tensors under {@code vision.unfold_head.}: {@code proj.weight} [u, d] (only if u != d),
 * {@code embed_tokens.weight} [codebook, u], {@code slot_embed.weight} [m*n, u],
 * {@code layers.j.*} (same names as the LLM's layers, text FFN only), {@code norm.weight},
 * {@code lm_head.weight} [codebook, u].
 */
public final class UnfoldHead implements ChunkedHeadLoss.Head {
  public static final String PREFIX = "vision.unfold_head";

  private final Parameters p;
  private final int slots;
  private final int width;
  private final Linear proj;
  private final Transformer body;
  private final Linear classifier;
  private int[] prevIds;

  public UnfoldHead(Parameters p, ModelConfig cfg) {
    ModelConfig.Vision v = cfg.vision();
    this.p = p;
    this.slots = v.foldSize();
    this.width = v.unfoldHidden();
    this.proj = v.unfoldHidden() != cfg.hiddenSize() ? new Linear(p, PREFIX + ".proj", false) : null;
    this.body = new Transformer(p, PREFIX, v.unfoldLayers(), LayerShape.unfoldHead(cfg), false);
    this.classifier = new Linear(p, PREFIX + ".lm_head", false);
  }

  /** Attention kernel and checkpointing of the head's transformer (see {@link Execution}). */
  public void setExecution(Execution execution) {
    body.setExecution(execution);
  }

  /**
   * @param h   [M, d] LLM output (after the final norm) of the positions that predict a block
   * @param ids [M * m*n] the blocks' ids; row s of a block's logits depends only on ids before s
   * @return [M * m*n, codebookSize] logits, slot s of block i at row i * m*n + s
   */
  @Override
  public INDArray forward(INDArray h, int[] ids) {
    int blocks = (int) h.size(0);
    if (ids.length != blocks * slots) {
      throw new IllegalArgumentException("unfold head: " + ids.length + " ids for " + blocks + " blocks of " + slots);
    }
    prevIds = new int[blocks * (slots - 1)];
    for (int b = 0; b < blocks; b++) {
      System.arraycopy(ids, b * slots, prevIds, b * (slots - 1), slots - 1);
    }
    INDArray x = Nd4j.createUninitialized(h.dataType(), blocks, slots, width);
    x.get(all(), point(0), all()).assign(proj == null ? h : proj.forward(h));
    if (slots > 1) {
      INDArray e = Rows.gather(p.get(PREFIX + ".embed_tokens.weight"), prevIds);
      x.get(all(), interval(1, slots), all()).assign(e.reshape(blocks, slots - 1, width));
    }
    INDArray x2 = x.reshape(blocks, (long) slots * width)
        .addiRowVector(p.get(PREFIX + ".slot_embed.weight").reshape(1, (long) slots * width))
        .reshape((long) blocks * slots, width);
    int rows = blocks * slots;
    return classifier.forward(body.forward(x2, SequenceLayout.causal(blocks, slots), Routing.allText(rows)));
  }

  /** @return dL/dh [M, d] for the LLM hidden states given dL/dlogits */
  @Override
  public INDArray backward(INDArray dLogits) {
    INDArray dx = body.backward(classifier.backward(dLogits));
    int blocks = (int) (dx.size(0) / slots);
    INDArray dx3 = dx.reshape(blocks, slots, width);
    INDArray gSlot = p.grad(PREFIX + ".slot_embed.weight");
    if (gSlot != null) {
      gSlot.addi(dx.reshape(blocks, (long) slots * width).sum(0).reshape(slots, width));
    }
    INDArray gEmbed = p.grad(PREFIX + ".embed_tokens.weight");
    if (gEmbed != null && slots > 1) {
      INDArray de = dx3.get(all(), interval(1, slots), all()).dup('c').reshape((long) blocks * (slots - 1), width);
      Rows.scatterAdd(gEmbed, prevIds, de);
    }
    INDArray dh = dx3.get(all(), point(0), all()).dup('c');
    return proj == null ? dh : proj.backward(dh);
  }
}
