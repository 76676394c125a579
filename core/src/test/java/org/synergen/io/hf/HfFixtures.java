package org.synergen.io.hf;

import java.nio.file.Path;

/** The checkpoints scripts/fixtures/make_hf_fixtures.py made with transformers. */
public final class HfFixtures {
  public static final Path DIR = Path.of("src/test/resources/fixtures/hf");
  public static final String[] QWEN2 = {"qwen2-gqa-f32", "qwen2-mha-bf16", "qwen2-mqa-tied-f32"};
  public static final String[] INTERNLM2 = {"internlm2-gqa-f32", "internlm2-mha-bf16"};
  /** Where HfCheckpointTest leaves the checkpoints our code saved, for the script's check-saved. */
  public static final Path SAVED = Path.of("target/hf-saved");

  private HfFixtures() {}

  public static Path of(String name) {
    return DIR.resolve(name);
  }
}
