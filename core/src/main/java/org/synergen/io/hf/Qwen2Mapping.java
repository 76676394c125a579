package org.synergen.io.hf;

import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.synergen.config.ModelConfig;

/** Qwen2ForCausalLM: its names are the canonical ones, so the mapping is the identity. */
final class Qwen2Mapping implements HfNameMapping {

  @Override
  public Map<String, INDArray> toCanonical(Map<String, INDArray> file, ModelConfig cfg) {
    Map<String, INDArray> out = new LinkedHashMap<>();
    file.forEach((name, t) -> {
      if (!HfNameMapping.isRecomputedBuffer(name)) {
        out.put(name, t);
      }
    });
    return out; // unknown names are caught by the checkpoint's completeness check
  }

  @Override
  public Map<String, INDArray> toFile(Map<String, INDArray> canonical, ModelConfig cfg) {
    return new LinkedHashMap<>(canonical);
  }
}
