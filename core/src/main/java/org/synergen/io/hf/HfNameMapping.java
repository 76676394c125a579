package org.synergen.io.hf;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.synergen.config.ModelConfig;
import org.synergen.io.FormatException;

/**
 * Translates a checkpoint's tensor names to the canonical ones (Hugging Face Qwen2 names for the
 * text part, our own names for the image parts; see docs/formats.md, "Checkpoints") and back. Image-part
 * tensors carry our own names in every architecture and pass through unchanged.
 */
public interface HfNameMapping {

  /** File names -> canonical names; names the architecture does not know are an error. */
  Map<String, INDArray> toCanonical(Map<String, INDArray> file, ModelConfig cfg) throws FormatException;

  /** Canonical names -> the names this architecture's Hugging Face model uses. */
  Map<String, INDArray> toFile(Map<String, INDArray> canonical, ModelConfig cfg);

  static HfNameMapping of(ModelConfig cfg) {
    return switch (cfg.architecture()) {
      case "qwen2" -> new Qwen2Mapping();
      case "internlm2" -> new InternLM2Mapping();
      default -> throw new IllegalArgumentException("no checkpoint names for architecture '"
          + cfg.architecture() + "' (known: qwen2, internlm2)");
    };
  }

  /** Our own image-part tensors: the visual embedding, folding, unfolding head, vision experts. */
  static boolean isImagePart(String canonicalName) {
    return canonicalName.startsWith("vision.") || canonicalName.contains(".vision_mlp.");
  }

  /**
   * Buffers some exporters stored although the model recomputes them (RoPE inverse
   * frequencies); they hold no learned value and are skipped.
   */
  static boolean isRecomputedBuffer(String name) {
    return name.endsWith(".rotary_emb.inv_freq");
  }
}
