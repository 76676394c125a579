package org.synergen.model;

import org.synergen.config.ModelConfig;

/** Tiny configs for model tests. */
final class TestConfigs {
  private TestConfigs() {}

  static ModelConfig.Vision vision(int foldRows, int foldCols, int unfoldHidden, int unfoldLayers) {
    return new ModelConfig.Vision(23, 6, 4, 16, foldRows, foldCols, 10, unfoldLayers, unfoldHidden, 2, 12, 3, 4, 5);
  }

  /** d 8, 2 layers, 4 query heads over 2 KV heads, q/k/v biases, 2x4 folding, unfold head of width 6. */
  static ModelConfig tiny(int foldRows, int foldCols) {
    return new ModelConfig("qwen2", 19, 8, 2, 4, 2, 12, 10000.0, 1e-6, true,
        vision(foldRows, foldCols, 6, 2));
  }
}
