package org.synergen.config;

import com.typesafe.config.Config;
import java.io.Serializable;

/**
 * Every size of a SynerGen-VL model: the base LLM (InternLM2 / Qwen2 micro-architecture) plus the
 * image parts (visual embedding, token folding, vision experts, unfolding head).
 *
 * <p>This record is the single source of truth for shapes. It is read from a HOCON model file in
 * {@code conf/model/} ({@link #fromConfig}) or from a HF {@code config.json} (see the io.hf package).
 *
 * @param architecture     {@code qwen2} or {@code internlm2}: decides checkpoint names, not the math
 * @param vocabSize        text vocabulary, special tokens included
 * @param hiddenSize       LLM width d
 * @param numLayers        decoder layers
 * @param numHeads         query heads
 * @param numKvHeads       key/value heads (grouped-query attention when smaller than numHeads)
 * @param intermediateSize SwiGLU inner width of the text FFN and of the vision expert FFN
 * @param ropeTheta        RoPE base
 * @param rmsNormEps       RMSNorm epsilon
 * @param attentionBias    q/k/v projections carry a bias (Qwen2: yes; InternLM2: no)
 * @param vision           the image-specific parts
 */
public record ModelConfig(
    String architecture,
    int vocabSize,
    int hiddenSize,
    int numLayers,
    int numHeads,
    int numKvHeads,
    int intermediateSize,
    double ropeTheta,
    double rmsNormEps,
    boolean attentionBias,
    Vision vision) implements Serializable {

  /**
   * @param codebookSize     VQ codebook entries (ids predicted by the unfolding head)
   * @param embedDim         width of one image-id embedding before folding
   * @param maxGridRows      rows of the learned 2-D position table (VQ id grid)
   * @param maxGridCols      columns of the learned 2-D position table
   * @param foldRows         m: rows of one folded block
   * @param foldCols         n: columns of one folded block
   * @param foldMlpHidden    hidden width of the 2-layer GELU folding MLP
   * @param unfoldLayers     depth of the unfolding head (paper: 4)
   * @param unfoldHidden     width of the unfolding head
   * @param unfoldHeads      attention heads of the unfolding head
   * @param unfoldIntermediate SwiGLU width of the unfolding head
   * @param boiId            text-vocabulary id of {@code <boi>}
   * @param eoiId            text-vocabulary id of {@code <eoi>}
   * @param uncondId         text-vocabulary id of {@code <UNCOND>}
   */
  public record Vision(
      int codebookSize,
      int embedDim,
      int maxGridRows,
      int maxGridCols,
      int foldRows,
      int foldCols,
      int foldMlpHidden,
      int unfoldLayers,
      int unfoldHidden,
      int unfoldHeads,
      int unfoldIntermediate,
      int boiId,
      int eoiId,
      int uncondId) implements Serializable {

    /** Image ids folded into one LLM token (m * n). */
    public int foldSize() {
      return foldRows * foldCols;
    }
  }

  public ModelConfig {
    if (hiddenSize % numHeads != 0) {
      throw new IllegalArgumentException(
          "hidden size " + hiddenSize + " is not a multiple of the head count " + numHeads);
    }
    if (numHeads % numKvHeads != 0) {
      throw new IllegalArgumentException(
          "head count " + numHeads + " is not a multiple of the key/value head count " + numKvHeads);
    }
  }

  public int headDim() {
    return hiddenSize / numHeads;
  }

  /** Reads a {@code model { ... }} block such as {@code conf/model/tiny.conf}. */
  public static ModelConfig fromConfig(Config c) {
    Config v = c.getConfig("vision");
    return new ModelConfig(
        c.getString("architecture"),
        c.getInt("vocab-size"),
        c.getInt("hidden-size"),
        c.getInt("num-layers"),
        c.getInt("num-heads"),
        c.getInt("num-kv-heads"),
        c.getInt("intermediate-size"),
        c.getDouble("rope-theta"),
        c.getDouble("rms-norm-eps"),
        c.getBoolean("attention-bias"),
        new Vision(
            v.getInt("codebook-size"),
            v.getInt("embed-dim"),
            v.getInt("max-grid-rows"),
            v.getInt("max-grid-cols"),
            v.getInt("fold-rows"),
            v.getInt("fold-cols"),
            v.getInt("fold-mlp-hidden"),
            v.getInt("unfold-layers"),
            v.getInt("unfold-hidden"),
            v.getInt("unfold-heads"),
            v.getInt("unfold-intermediate"),
            v.getInt("boi-id"),
            v.getInt("eoi-id"),
            v.getInt("uncond-id")));
  }
}
