package org.synergen.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.synergen.config.ModelConfig;

/**
 * textLogits against Hugging Face transformers' Qwen2ForCausalLM on tiny random models
 * (fixtures from core/src/test/python/qwen2_logits_fixture.py): RMSNorm, RoPE convention, GQA,
 * q/k/v biases, SwiGLU and the untied head.
 */
class Qwen2ParityTest {

  @ParameterizedTest
  @ValueSource(strings = {"qwen2_gqa", "qwen2_mha"})
  void logitsMatchTransformers(String fixture) throws Exception {
    JsonNode root;
    try (InputStream in = getClass().getResourceAsStream("/model/" + fixture + ".json")) {
      root = new ObjectMapper().readTree(in);
    }
    JsonNode c = root.get("config");
    ModelConfig cfg = new ModelConfig("qwen2", c.get("vocab_size").asInt(), c.get("hidden_size").asInt(),
        c.get("num_hidden_layers").asInt(), c.get("num_attention_heads").asInt(),
        c.get("num_key_value_heads").asInt(), c.get("intermediate_size").asInt(),
        c.get("rope_theta").asDouble(), c.get("rms_norm_eps").asDouble(), true,
        TestConfigs.vision(2, 4, 6, 1));
    Map<String, INDArray> params = new LinkedHashMap<>(SynerGenModel.create(cfg, 1).parameters());
    root.get("params").fields().forEachRemaining(e -> {
      long[] shape = new long[e.getValue().get("shape").size()];
      for (int i = 0; i < shape.length; i++) {
        shape[i] = e.getValue().get("shape").get(i).asLong();
      }
      params.put(e.getKey(), Nd4j.createFromArray(floats(e.getValue().get("data"))).reshape(shape));
    });
    int[] tokens = new int[root.get("tokens").size()];
    for (int i = 0; i < tokens.length; i++) {
      tokens[i] = root.get("tokens").get(i).asInt();
    }
    INDArray logits = SynerGenModel.fromParameters(cfg, params).textLogits(tokens);
    assertArrayEquals(new long[] {tokens.length, cfg.vocabSize()}, logits.shape());
    assertTrue(logits.dataType() == DataType.FLOAT);
    INDArray expected = Nd4j.createFromArray(floats(root.get("logits"))).reshape(logits.shape());
    double maxDiff = logits.sub(expected).amaxNumber().doubleValue();
    assertTrue(maxDiff < 1e-4, fixture + ": max |ours - HF| = " + maxDiff);
    assertTrue(expected.amaxNumber().doubleValue() > 0.1, "fixture logits too small to test anything");
  }

  private static float[] floats(JsonNode arr) {
    float[] f = new float[arr.size()];
    for (int i = 0; i < f.length; i++) {
      f[i] = (float) arr.get(i).asDouble();
    }
    return f;
  }
}
