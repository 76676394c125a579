package org.synergen.model.nn;

import org.synergen.config.ModelConfig;

/**
 * The sizes of one decoder layer (Qwen2 / InternLM2 micro-architecture), shared by the LLM's
 * layers and, with their own widths, the unfolding head's.
 *
 * @param width        the residual stream's width
 * @param heads        query heads
 * @param kvHeads      key/value heads, each shared by {@code heads / kvHeads} query heads
 * @param headDim      width of one head
 * @param intermediate SwiGLU FFN width
 * @param ropeTheta    RoPE base
 * @param qkvBias      whether the q/k/v projections have biases
 * @param rmsNormEps   RMSNorm epsilon
 */
public record LayerShape(int width, int heads, int kvHeads, int headDim, int intermediate, double ropeTheta,
    boolean qkvBias, double rmsNormEps) {

  /** The LLM's layers. */
  public static LayerShape llm(ModelConfig cfg) {
    return new LayerShape(cfg.hiddenSize(), cfg.numHeads(), cfg.numKvHeads(), cfg.headDim(), cfg.intermediateSize(),
        cfg.ropeTheta(), cfg.attentionBias(), cfg.rmsNormEps());
  }

  /** The unfolding head's layers: its own width, heads (no grouping) and FFN, the LLM's RoPE and norms. */
  public static LayerShape unfoldHead(ModelConfig cfg) {
    ModelConfig.Vision v = cfg.vision();
    return new LayerShape(v.unfoldHidden(), v.unfoldHeads(), v.unfoldHeads(), v.unfoldHidden() / v.unfoldHeads(),
        v.unfoldIntermediate(), cfg.ropeTheta(), cfg.attentionBias(), cfg.rmsNormEps());
  }
}
