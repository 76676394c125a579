package org.synergen.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.typesafe.config.ConfigFactory;
import java.io.File;
import org.junit.jupiter.api.Test;

class ModelConfigTest {

  private static ModelConfig load(String name) {
    File f = new File("../conf/model/" + name + ".conf");
    return ModelConfig.fromConfig(ConfigFactory.parseFile(f).resolve().getConfig("model"));
  }

  @Test
  void publishedShapesHaveTheirKnownHeadSizes() {
    // Qwen2-0.5B: 896 / 14 heads = 64; InternLM2-1.8B: 2048 / 16 = 128 (both from their HF configs).
    assertEquals(64, load("qwen2-0.5b").headDim());
    assertEquals(128, load("internlm2-1.8b").headDim());
    // The paper's default folding is 2x8; 512x512 images give a 64x64 grid -> 256 LLM tokens.
    ModelConfig internlm = load("internlm2-1.8b");
    assertEquals(16, internlm.vision().foldSize());
    assertEquals(256, (64 * 64) / internlm.vision().foldSize());
  }

  @Test
  void tinyConfigLoads() {
    ModelConfig tiny = load("tiny");
    assertEquals(8, tiny.vision().foldSize());
    assertEquals(16, tiny.headDim());
  }

  @Test
  void rejectsHeadCountsThatDoNotDivide() {
    ModelConfig.Vision v = load("tiny").vision();
    assertThrows(IllegalArgumentException.class,
        () -> new ModelConfig("qwen2", 10, 64, 1, 5, 5, 8, 1e4, 1e-6, true, v));
    assertThrows(IllegalArgumentException.class,
        () -> new ModelConfig("qwen2", 10, 64, 1, 4, 3, 8, 1e4, 1e-6, true, v));
  }
}
