package org.synergen.io.hf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.synergen.config.ModelConfig;
import org.synergen.io.FormatException;
import org.synergen.io.Safetensors;
import org.synergen.model.ParameterShapes;
import org.synergen.model.SynerGenModel;

/**
 * A checkpoint directory: {@code config.json} + {@code model.safetensors} (or shards listed in
 * {@code model.safetensors.index.json}), in Hugging Face's layout so that transformers loads the
 * text part as it is.
 *
 * <p>Two kinds are read. A text-only HF checkpoint (Qwen2 or InternLM2) becomes a SynerGen-VL
 * model as the paper initialises it: every vision expert is a copy of its layer's text FFN and the
 * other image parts start from a seeded random init. A checkpoint we saved has a {@code synergen}
 * block in config.json and every image tensor under our own names, and loads back exactly.
 */
public final class HfCheckpoint {

  public static final String CONFIG = "config.json";
  public static final String WEIGHTS = "model.safetensors";
  public static final String WEIGHTS_INDEX = "model.safetensors.index.json";
  /** Seed of the image parts' init when a text-only checkpoint does not say otherwise. */
  public static final long DEFAULT_IMAGE_SEED = 1234;

  /**
   * @param config            sizes, image parts included
   * @param parameters        every tensor of {@link ParameterShapes#of}, canonical names, float32
   * @param imagePartsCreated true when the directory was text-only and the image parts were made
   */
  public record Loaded(ModelConfig config, Map<String, INDArray> parameters, boolean imagePartsCreated) {}

  private HfCheckpoint() {}

  /** Loads with the image-part sizes of config.json or {@link HfConfig#defaultVision}. */
  public static Loaded load(Path dir) throws IOException {
    return load(dir, null, DEFAULT_IMAGE_SEED);
  }

  /**
   * @param vision image-part sizes for a text-only checkpoint (a conf/model file's vision block);
   *               null for the defaults. Ignored for our own checkpoints, which carry theirs.
   * @param seed   init of the image parts a text-only checkpoint lacks
   */
  public static Loaded load(Path dir, ModelConfig.Vision vision, long seed) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new NoSuchFileException(dir.toString(), null, "no such checkpoint directory");
    }
    HfConfig hf = HfConfig.read(dir.resolve(CONFIG), vision);
    ModelConfig cfg = hf.model();
    Map<String, INDArray> params = HfNameMapping.of(cfg).toCanonical(readWeights(dir), cfg);
    if (hf.tiedEmbeddings() && !params.containsKey("lm_head.weight")) {
      // we keep lm_head as its own tensor: training may move it away from the embedding
      params.put("lm_head.weight", params.get("model.embed_tokens.weight").dup());
    }
    Map<String, long[]> shapes = ParameterShapes.of(cfg);
    boolean create = !hf.hasImageParts();
    if (create) {
      for (String name : params.keySet()) {
        if (HfNameMapping.isImagePart(name)) {
          throw new FormatException(dir + ": tensor '" + name + "' is an image part, but config.json "
              + "has no 'synergen' block giving their sizes; the checkpoint is inconsistent");
        }
      }
      createImageParts(cfg, params, seed);
    }
    checkComplete(dir, shapes, params);
    // canonical order, as the model lists its parameters
    Map<String, INDArray> ordered = new LinkedHashMap<>();
    for (String name : shapes.keySet()) {
      ordered.put(name, params.get(name));
    }
    return new Loaded(cfg, ordered, create);
  }

  /** Vision experts = copies of the text FFNs (the paper's init); the rest from a seeded model. */
  private static void createImageParts(ModelConfig cfg, Map<String, INDArray> params, long seed) {
    // Only image tensors are taken from this model; a text part of zero layers and a one-id
    // vocabulary keeps it small (the image parts' shapes do not depend on either).
    ModelConfig imageOnly = new ModelConfig(cfg.architecture(), 1, cfg.hiddenSize(), 0,
        cfg.numHeads(), cfg.numKvHeads(), cfg.intermediateSize(), cfg.ropeTheta(),
        cfg.rmsNormEps(), cfg.attentionBias(), cfg.vision());
    Map<String, INDArray> fresh = SynerGenModel.create(imageOnly, seed).parameters();
    for (String name : ParameterShapes.of(cfg).keySet()) {
      if (name.contains(".vision_mlp.")) {
        INDArray text = params.get(name.replace(".vision_mlp.", ".mlp."));
        if (text != null) {
          params.put(name, text.dup());
        }
      } else if (HfNameMapping.isImagePart(name)) {
        params.put(name, fresh.get(name));
      }
    }
  }

  private static void checkComplete(Path dir, Map<String, long[]> shapes, Map<String, INDArray> params)
      throws FormatException {
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, long[]> e : shapes.entrySet()) {
      INDArray t = params.get(e.getKey());
      if (t == null) {
        problems.add("missing " + e.getKey() + " " + Arrays.toString(e.getValue()));
      } else if (!Arrays.equals(t.shape(), e.getValue())) {
        problems.add(e.getKey() + " has shape " + Arrays.toString(t.shape()) + ", config.json implies "
            + Arrays.toString(e.getValue()));
      }
    }
    for (String name : params.keySet()) {
      if (!shapes.containsKey(name)) {
        problems.add("unexpected tensor " + name);
      }
    }
    if (!problems.isEmpty()) {
      int shown = Math.min(problems.size(), 8);
      throw new FormatException(dir + ": the tensors do not match config.json (" + problems.size()
          + " problems): " + String.join("; ", problems.subList(0, shown))
          + (shown < problems.size() ? "; ..." : ""));
    }
  }

  /** model.safetensors, or every shard named by model.safetensors.index.json. */
  private static Map<String, INDArray> readWeights(Path dir) throws IOException {
    Path single = dir.resolve(WEIGHTS);
    if (Files.isRegularFile(single)) {
      return Safetensors.read(single);
    }
    Path index = dir.resolve(WEIGHTS_INDEX);
    if (Files.isRegularFile(index)) {
      JsonNode weightMap = new ObjectMapper().readTree(index.toFile()).path("weight_map");
      Set<String> shards = new LinkedHashSet<>();
      weightMap.forEach(f -> shards.add(f.asText()));
      if (shards.isEmpty()) {
        throw new FormatException(index + ": no weight_map entries");
      }
      Map<String, INDArray> all = new LinkedHashMap<>();
      for (String shard : shards) {
        all.putAll(Safetensors.read(dir.resolve(shard)));
      }
      return all;
    }
    if (Files.exists(dir.resolve("pytorch_model.bin"))
        || Files.exists(dir.resolve("pytorch_model.bin.index.json"))) {
      throw new FormatException(dir + ": only pytorch_model.bin weights, which are not read here; "
          + "convert them once with transformers: AutoModelForCausalLM.from_pretrained(dir)"
          + ".save_pretrained(out, safe_serialization=True)");
    }
    throw new NoSuchFileException(single.toString(), null,
        "no " + WEIGHTS + " or " + WEIGHTS_INDEX + " in the checkpoint directory");
  }

  /** Saves float32 tensors: bit-exact when loaded back. */
  public static void save(Path dir, ModelConfig cfg, Map<String, INDArray> params) throws IOException {
    save(dir, cfg, params, Safetensors.DType.F32);
  }

  /**
   * Writes config.json and one model.safetensors: the text part under the architecture's Hugging
   * Face names (transformers loads it, reporting our image tensors as unexpected keys it ignores),
   * the image parts under our own names. {@code params} must hold exactly the model's tensors.
   */
  public static void save(Path dir, ModelConfig cfg, Map<String, INDArray> params,
      Safetensors.DType dtype) throws IOException {
    Map<String, long[]> shapes = ParameterShapes.of(cfg);
    try {
      checkComplete(dir, shapes, params);
    } catch (FormatException e) {
      throw new IllegalArgumentException("cannot save: " + e.getMessage(), e);
    }
    Map<String, INDArray> ordered = new LinkedHashMap<>();
    for (String name : shapes.keySet()) {
      ordered.put(name, params.get(name));
    }
    Files.createDirectories(dir);
    Safetensors.write(dir.resolve(WEIGHTS), HfNameMapping.of(cfg).toFile(ordered, cfg),
        Map.of("synergen_architecture", cfg.architecture()), dtype);
    HfConfig.write(dir.resolve(CONFIG), cfg, dtype);
  }
}
