package org.synergen.train.freeze;

import java.util.Collection;
import java.util.LinkedHashMap;
import org.synergen.config.ModelConfig;

/**
 * Which parameters train in each stage of SynerGen-VL's progressive schedule (paper Table 8).
 *
 * <ul>
 *   <li>{@link #STAGE1}: image-specific parameters only: everything under {@code vision.*} (visual
 *       and position embeddings, folding MLP, unfolding head), the vision expert FFNs
 *       {@code model.layers.i.vision_mlp.*}, and the image special tokens: the rows of
 *       {@code <boi>}, {@code <eoi>}, {@code <UNCOND>} in {@code model.embed_tokens.weight}.
 *       Their rows in {@code lm_head.weight} stay frozen: a trained lm_head row would change that
 *       token's logit on every text-only input, and the paper's stage-1 promise is that the text
 *       model is exactly unchanged (text-only logits bit-identical, tested).
 *   <li>{@link #STAGE2}: stage 1 plus the LLM's self-attention ({@code model.layers.i.self_attn.*}).
 *   <li>{@link #SFT}: everything.
 * </ul>
 */
public enum FreezePolicy {
  STAGE1,
  STAGE2,
  SFT;

  /** The trainable set over {@code names} (a model's parameter names) for this stage. */
  public TrainableSet select(ModelConfig cfg, Collection<String> names) {
    LinkedHashMap<String, int[]> out = new LinkedHashMap<>();
    ModelConfig.Vision v = cfg.vision();
    for (String name : names) {
      if (this == SFT || name.startsWith("vision.") || name.contains(".vision_mlp.")) {
        out.put(name, null);
      } else if (this == STAGE2 && name.startsWith("model.layers.") && name.contains(".self_attn.")) {
        out.put(name, null);
      } else if (name.equals("model.embed_tokens.weight")) {
        out.put(name, new int[] {v.boiId(), v.eoiId(), v.uncondId()});
      }
    }
    return new TrainableSet(out);
  }

  /** Parses {@code stage1}, {@code stage2}, {@code sft} (any case). */
  public static FreezePolicy parse(String s) {
    for (FreezePolicy p : values()) {
      if (p.name().equalsIgnoreCase(s)) {
        return p;
      }
    }
    throw new IllegalArgumentException("unknown stage '" + s + "'; expected stage1, stage2 or sft");
  }
}
