package org.synergen.io.hf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.synergen.config.ModelConfig;
import org.synergen.io.FormatException;
import org.synergen.io.HalfFloats;
import org.synergen.io.Safetensors;
import org.synergen.model.ModelCheckpoint;
import org.synergen.model.ParameterShapes;

class HfCheckpointTest {

  @TempDir Path tmp;

  /** Small image parts so that the tests stay fast (the defaults are the paper's sizes). */
  static final ModelConfig.Vision SMALL = new ModelConfig.Vision(64, 8, 4, 8, 2, 4, 24, 1, 16, 2, 24, 3, 4, 5);

  private static int[] bits(INDArray a) {
    float[] f = a.dup('c').data().asFloat();
    int[] b = new int[f.length];
    for (int i = 0; i < f.length; i++) {
      b[i] = Float.floatToRawIntBits(f[i]);
    }
    return b;
  }

  @Test
  void textOnlyCheckpointGetsVisionExpertsCopiedFromTextFfns() throws IOException {
    ModelCheckpoint.Loaded a = ModelCheckpoint.load(HfFixtures.of("qwen2-gqa-f32"), SMALL, 7);
    assertTrue(a.imagePartsCreated());
    assertEquals(SMALL, a.config().vision());
    assertEquals(ParameterShapes.of(a.config()).keySet(), a.parameters().keySet());
    Map<String, INDArray> hf = Safetensors.read(HfFixtures.of("qwen2-gqa-f32").resolve("model.safetensors"));
    for (int i = 0; i < a.config().numLayers(); i++) {
      for (String p : new String[] {"gate_proj", "up_proj", "down_proj"}) {
        String text = "model.layers." + i + ".mlp." + p + ".weight";
        assertArrayEquals(bits(hf.get(text)), bits(a.parameters().get(text)));
        assertArrayEquals(bits(hf.get(text)),
            bits(a.parameters().get("model.layers." + i + ".vision_mlp." + p + ".weight")));
      }
    }
    // the other image parts come from the seed: reproducible, and a different seed differs
    ModelCheckpoint.Loaded same = ModelCheckpoint.load(HfFixtures.of("qwen2-gqa-f32"), SMALL, 7);
    ModelCheckpoint.Loaded other = ModelCheckpoint.load(HfFixtures.of("qwen2-gqa-f32"), SMALL, 8);
    INDArray pos = a.parameters().get("vision.pos_embed.weight");
    assertEquals(pos, same.parameters().get("vision.pos_embed.weight"));
    assertNotEquals(pos, other.parameters().get("vision.pos_embed.weight"));
  }

  @Test
  void tiedEmbeddingBecomesAnUntiedCopy() throws IOException {
    Path dir = HfFixtures.of("qwen2-mqa-tied-f32");
    assertFalse(Safetensors.readHeader(dir.resolve("model.safetensors")).tensors().containsKey("lm_head.weight"));
    Map<String, INDArray> p = ModelCheckpoint.load(dir, SMALL, 1).parameters();
    assertEquals(p.get("model.embed_tokens.weight"), p.get("lm_head.weight"));
  }

  /**
   * Save -> load is bit-exact for every tensor, and the text tensors in the saved file are those
   * of the original HF file under the same HF names. The saved directories stay in
   * target/hf-saved for `make_hf_fixtures.py check-saved` (transformers loads them).
   */
  @Test
  void saveThenLoadIsBitExact() throws IOException {
    for (String name : new String[] {"qwen2-gqa-f32", "qwen2-mha-bf16", "qwen2-mqa-tied-f32",
        "internlm2-gqa-f32", "internlm2-mha-bf16"}) {
      ModelCheckpoint.Loaded first = ModelCheckpoint.load(HfFixtures.of(name), SMALL, 3);
      Path saved = HfFixtures.SAVED.resolve(name);
      ModelCheckpoint.save(saved, first.config(), first.parameters());
      ModelCheckpoint.Loaded back = ModelCheckpoint.load(saved);
      assertFalse(back.imagePartsCreated(), name);
      assertEquals(first.config(), back.config(), name);
      assertEquals(first.parameters().keySet(), back.parameters().keySet(), name);
      for (String t : first.parameters().keySet()) {
        assertArrayEquals(bits(first.parameters().get(t)), bits(back.parameters().get(t)), name + " " + t);
      }
      Map<String, INDArray> original = Safetensors.read(HfFixtures.of(name).resolve("model.safetensors"));
      Map<String, INDArray> written = Safetensors.read(saved.resolve("model.safetensors"));
      for (String t : original.keySet()) {
        assertArrayEquals(bits(original.get(t)), bits(written.get(t)), name + " " + t);
      }
    }
  }

  @Test
  void bf16SaveRoundsEachValueToNearestEven() throws IOException {
    ModelCheckpoint.Loaded first = ModelCheckpoint.load(HfFixtures.of("qwen2-gqa-f32"), SMALL, 3);
    ModelCheckpoint.save(tmp, first.config(), first.parameters(), Safetensors.DType.BF16);
    assertTrue(Files.readString(tmp.resolve("config.json")).contains("\"bfloat16\""));
    ModelCheckpoint.Loaded back = ModelCheckpoint.load(tmp);
    float[] before = first.parameters().get("model.layers.1.self_attn.q_proj.weight").data().asFloat();
    float[] after = back.parameters().get("model.layers.1.self_attn.q_proj.weight").data().asFloat();
    for (int i = 0; i < before.length; i++) {
      assertEquals(HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(before[i])), after[i]);
      assertEquals(before[i], after[i], Math.abs(before[i]) / 128);
    }
  }

  @Test
  void shardedCheckpointReadsLikeOneFile() throws IOException {
    // the layout transformers writes for large models: shards + model.safetensors.index.json
    Path fixture = HfFixtures.of("internlm2-gqa-f32");
    Map<String, INDArray> all = Safetensors.read(fixture.resolve("model.safetensors"));
    Map<String, INDArray> first = new java.util.LinkedHashMap<>();
    Map<String, INDArray> second = new java.util.LinkedHashMap<>();
    StringBuilder index = new StringBuilder("{\"metadata\": {}, \"weight_map\": {");
    int i = 0;
    for (Map.Entry<String, INDArray> e : all.entrySet()) {
      boolean one = i++ % 2 == 0;
      (one ? first : second).put(e.getKey(), e.getValue());
      index.append(i > 1 ? "," : "").append('"').append(e.getKey()).append("\": \"model-0000")
          .append(one ? 1 : 2).append("-of-00002.safetensors\"");
    }
    Safetensors.write(tmp.resolve("model-00001-of-00002.safetensors"), first, Map.of(), Safetensors.DType.F32);
    Safetensors.write(tmp.resolve("model-00002-of-00002.safetensors"), second, Map.of(), Safetensors.DType.F32);
    Files.writeString(tmp.resolve("model.safetensors.index.json"), index.append("}}").toString());
    Files.copy(fixture.resolve("config.json"), tmp.resolve("config.json"));
    ModelCheckpoint.Loaded sharded = ModelCheckpoint.load(tmp, SMALL, 3);
    ModelCheckpoint.Loaded single = ModelCheckpoint.load(fixture, SMALL, 3);
    assertEquals(single.parameters().keySet(), sharded.parameters().keySet());
    assertEquals(single.parameters().get("model.layers.0.self_attn.k_proj.weight"),
        sharded.parameters().get("model.layers.0.self_attn.k_proj.weight"));
    assertEquals(single.parameters().get("lm_head.weight"), sharded.parameters().get("lm_head.weight"));
  }

  @Test
  void incompleteOrInconsistentDirectoriesAreRefused() throws IOException {
    assertThrows(NoSuchFileException.class, () -> ModelCheckpoint.load(tmp.resolve("absent")));
    assertThrows(NoSuchFileException.class, () -> ModelCheckpoint.load(tmp)); // no config.json

    Path noWeights = tmp.resolve("no-weights");
    Files.createDirectories(noWeights);
    Files.copy(HfFixtures.of("qwen2-gqa-f32").resolve("config.json"), noWeights.resolve("config.json"));
    NoSuchFileException missing = assertThrows(NoSuchFileException.class, () -> ModelCheckpoint.load(noWeights));
    assertTrue(missing.getReason().contains("model.safetensors"));

    // an own checkpoint (synergen block) whose file lacks a tensor
    ModelCheckpoint.Loaded l = ModelCheckpoint.load(HfFixtures.of("qwen2-gqa-f32"), SMALL, 3);
    Path own = tmp.resolve("own");
    ModelCheckpoint.save(own, l.config(), l.parameters());
    Map<String, INDArray> tensors = Safetensors.read(own.resolve("model.safetensors"));
    tensors.remove("vision.fold_mlp.fc1.bias");
    Safetensors.write(own.resolve("model.safetensors"), tensors, Map.of(), Safetensors.DType.F32);
    FormatException e = assertThrows(FormatException.class, () -> ModelCheckpoint.load(own));
    assertTrue(e.getMessage().contains("missing vision.fold_mlp.fc1.bias"), e.getMessage());

    // a config.json whose sizes do not match the tensors
    Path wrong = tmp.resolve("wrong");
    Files.createDirectories(wrong);
    Files.copy(HfFixtures.of("qwen2-gqa-f32").resolve("model.safetensors"), wrong.resolve("model.safetensors"));
    Files.writeString(wrong.resolve("config.json"), Files.readString(
        HfFixtures.of("qwen2-gqa-f32").resolve("config.json")).replace("\"intermediate_size\": 72", "\"intermediate_size\": 70"));
    e = assertThrows(FormatException.class, () -> ModelCheckpoint.load(wrong, SMALL, 1));
    assertTrue(e.getMessage().contains("mlp.up_proj.weight has shape [72, 48], config.json implies [70, 48]"),
        e.getMessage());
  }
}
