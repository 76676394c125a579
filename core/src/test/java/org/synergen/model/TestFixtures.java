package org.synergen.model;

import org.synergen.config.ModelConfig;

/** Public entry to the model test fixtures for tests in other packages. */
public final class TestFixtures {
  private TestFixtures() {}

  public static ModelConfig tiny() {
    return TestConfigs.tiny(2, 4);
  }

  /** A batch with packed understanding and generation samples, padding and a text-only row. */
  public static Batch mixedBatch(ModelConfig cfg) {
    return TestBatches.mixed(cfg, 5);
  }
}
