package org.synergen.model.decode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.synergen.model.ModelCheckpoint;
import org.synergen.model.SynerGenModel;

/**
 * Greedy decoding with the KV cache gives transformers' {@code generate(do_sample=False)} ids for
 * 32 new tokens on the tiny random Qwen2 checkpoints, for one prompt and for a left-padded batch
 * of two prompts of different lengths (fixtures: scripts/fixtures/make_generate_fixtures.py).
 */
class GreedyParityTest {
  static final Path FIXTURES = Path.of("src/test/resources/fixtures/generate");

  @ParameterizedTest
  @ValueSource(strings = {"qwen2-gqa-f32", "qwen2-mha-bf16", "qwen2-mqa-tied-f32"})
  void greedyIdsEqualTransformers(String name) throws Exception {
    JsonNode fx = new ObjectMapper().readTree(FIXTURES.resolve(name + ".json").toFile());
    ModelCheckpoint.Loaded loaded = ModelCheckpoint.load(Path.of("src/test/resources").resolve(fx.get("checkpoint").asText()));
    TextGenerator gen = new TextGenerator(new IncrementalDecoder(
        SynerGenModel.fromParameters(loaded.config(), loaded.parameters())));
    int n = fx.get("new_tokens").asInt();
    int f = loaded.config().vision().foldSize();

    List<int[]> single = gen.generate(List.of(Prompt.text(ints(fx.get("single").get("prompt")), f)), n,
        List.of(new Sampler(Sampling.GREEDY, 0)), Set.of(), null);
    assertArrayEquals(ints(fx.get("single").get("ids")), single.get(0), name + ": one prompt");

    List<Prompt> prompts = new ArrayList<>();
    List<Sampler> samplers = new ArrayList<>();
    for (JsonNode p : fx.get("batch").get("prompts")) {
      prompts.add(Prompt.text(ints(p), f));
      samplers.add(new Sampler(Sampling.GREEDY, 0));
    }
    List<int[]> batch = gen.generate(prompts, n, samplers, Set.of(), null);
    for (int r = 0; r < prompts.size(); r++) {
      assertArrayEquals(ints(fx.get("batch").get("ids").get(r)), batch.get(r), name + ": batch row " + r);
    }
  }

  static int[] ints(JsonNode a) {
    int[] out = new int[a.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = a.get(i).asInt();
    }
    return out;
  }
}
