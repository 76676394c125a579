package org.synergen.io.hf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.synergen.config.ModelConfig;
import org.synergen.io.FormatException;
import org.synergen.io.Safetensors;

class HfConfigTest {

  @TempDir Path tmp;

  @Test
  void readsTransformers5Qwen2Config() throws IOException {
    // written by transformers 5 (rope_theta under rope_parameters), tied embeddings
    HfConfig c = HfConfig.read(HfFixtures.of("qwen2-mqa-tied-f32").resolve("config.json"), null);
    ModelConfig m = c.model();
    assertEquals("qwen2", m.architecture());
    assertEquals(83, m.vocabSize());
    assertEquals(40, m.hiddenSize());
    assertEquals(3, m.numLayers());
    assertEquals(5, m.numHeads());
    assertEquals(1, m.numKvHeads());
    assertEquals(52, m.intermediateSize());
    assertEquals(1e6, m.ropeTheta());
    assertEquals(1e-6, m.rmsNormEps());
    assertTrue(m.attentionBias());
    assertTrue(c.tiedEmbeddings());
    assertFalse(c.hasImageParts());
    // no synergen block: the documented defaults (Qwen2 folds 2x4, specials at the vocab's end)
    assertEquals(HfConfig.defaultVision("qwen2", 83, 40, 5, 52), m.vision());
    assertEquals(4, m.vision().foldCols());
    assertEquals(80, m.vision().uncondId() - 2);
  }

  @Test
  void readsInternLM2RemoteCodeConfig() throws IOException {
    HfConfig c = HfConfig.read(HfFixtures.of("internlm2-gqa-f32").resolve("config.json"), null);
    ModelConfig m = c.model();
    assertEquals("internlm2", m.architecture());
    assertEquals(89, m.vocabSize());
    assertEquals(6, m.numHeads());
    assertEquals(2, m.numKvHeads());
    assertEquals(1e-5, m.rmsNormEps());
    assertFalse(m.attentionBias());
    assertFalse(c.tiedEmbeddings());
    assertEquals(8, m.vision().foldCols());
  }

  @Test
  void givenVisionIsUsedForTextOnlyCheckpoints() throws IOException {
    ModelConfig.Vision v = new ModelConfig.Vision(64, 8, 4, 4, 2, 2, 16, 1, 8, 2, 16, 90, 91, 92);
    HfConfig c = HfConfig.read(HfFixtures.of("qwen2-gqa-f32").resolve("config.json"), v);
    assertEquals(v, c.model().vision());
  }

  @Test
  void writtenConfigReadsBackIdentically() throws IOException {
    for (String name : new String[] {"qwen2-gqa-f32", "internlm2-mha-bf16"}) {
      ModelConfig m = HfConfig.read(HfFixtures.of(name).resolve("config.json"), null).model();
      Path f = tmp.resolve(name + ".json");
      HfConfig.write(f, m, Safetensors.DType.BF16);
      HfConfig back = HfConfig.read(f, null);
      assertEquals(m, back.model());
      assertTrue(back.hasImageParts());
      assertFalse(back.tiedEmbeddings());
    }
  }

  private Path config(String json) throws IOException {
    Path f = tmp.resolve("config.json");
    Files.writeString(f, json);
    return f;
  }

  private static final String QWEN2 = "\"architectures\":[\"Qwen2ForCausalLM\"],\"vocab_size\":10,"
      + "\"hidden_size\":8,\"num_hidden_layers\":1,\"num_attention_heads\":2,\"intermediate_size\":4";

  @Test
  void refusesWhatTheModelDoesNotCompute() throws IOException {
    String[][] cases = {
        {"{\"architectures\":[\"LlamaForCausalLM\"]}", "LlamaForCausalLM"},
        {"{" + QWEN2.replace("\"vocab_size\":10,", "") + "}", "vocab_size"},
        {"{" + QWEN2 + ",\"hidden_act\":\"gelu\"}", "gelu"},
        {"{" + QWEN2 + ",\"use_sliding_window\":true}", "sliding"},
        {"{" + QWEN2 + ",\"rope_scaling\":{\"rope_type\":\"yarn\",\"factor\":4.0}}", "yarn"},
        {"{" + QWEN2 + ",\"num_key_value_heads\":3}", "multiple"},
        {"{" + QWEN2.replace("Qwen2", "InternLM2") + "}", "bias=true"},
        {"{" + QWEN2 + ",\"head_dim\":16}", "head_dim"},
        {"not json", "JSON"},
    };
    for (String[] c : cases) {
      FormatException e = assertThrows(FormatException.class, () -> HfConfig.read(config(c[0]), null), c[0]);
      assertTrue(e.getMessage().contains(c[1]), e.getMessage());
    }
    // InternLM2's dynamic NTK scaling is plain RoPE below max_position_embeddings: accepted
    HfConfig.read(config("{" + QWEN2.replace("Qwen2", "InternLM2") + ",\"bias\":false,"
        + "\"rope_scaling\":{\"type\":\"dynamic\",\"factor\":2.0}}"), null);
  }
}
