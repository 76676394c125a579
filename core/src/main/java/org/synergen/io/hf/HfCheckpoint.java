package org.synergen.io.hf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.synergen.config.ModelConfig;
import org.synergen.io.FormatException;
import org.synergen.io.Safetensors;

/**
 * A checkpoint directory: {@code config.json} + {@code model.safetensors} (or shards listed in
 * {@code model.safetensors.index.json}), in Hugging Face's layout so that transformers loads the
 * text part as it is. A format reader and writer only: which tensors a model needs, and making
 * those a text-only checkpoint lacks, is the model's business ({@code model.ModelCheckpoint}).
 *
 * <p>Two kinds are read. A text-only HF checkpoint (Qwen2 or InternLM2) has the text tensors
 * alone; a checkpoint we saved has a {@code synergen} block in config.json and every image tensor
 * under our own names.
 */
public final class HfCheckpoint {

  public static final String CONFIG = "config.json";
  public static final String WEIGHTS = "model.safetensors";
  public static final String WEIGHTS_INDEX = "model.safetensors.index.json";

  /**
   * @param config      sizes from config.json; the image parts' from its synergen block, else as asked
   * @param tensors     every tensor of the files under canonical names, float32, lm_head untied
   * @param imageParts  whether config.json has a synergen block (the image tensors are in the files)
   */
  public record Contents(ModelConfig config, Map<String, INDArray> tensors, boolean imageParts) {}

  private HfCheckpoint() {}

  /**
   * @param vision image-part sizes for a text-only checkpoint (a conf/model file's vision block);
   *               null for {@link HfConfig#defaultVision}. Ignored for our own checkpoints.
   */
  public static Contents read(Path dir, ModelConfig.Vision vision) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new NoSuchFileException(dir.toString(), null, "no such checkpoint directory");
    }
    HfConfig hf = HfConfig.read(dir.resolve(CONFIG), vision);
    ModelConfig cfg = hf.model();
    Map<String, INDArray> tensors = HfNameMapping.of(cfg).toCanonical(readWeights(dir), cfg);
    if (hf.tiedEmbeddings() && !tensors.containsKey("lm_head.weight")) {
      // we keep lm_head as its own tensor: training may move it away from the embedding
      tensors.put("lm_head.weight", tensors.get("model.embed_tokens.weight").dup());
    }
    if (!hf.hasImageParts()) {
      for (String name : tensors.keySet()) {
        if (HfNameMapping.isImagePart(name)) {
          throw new FormatException(dir + ": tensor '" + name + "' is an image part, but config.json "
              + "has no 'synergen' block giving their sizes; the checkpoint is inconsistent");
        }
      }
    }
    return new Contents(cfg, tensors, hf.hasImageParts());
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

  /**
   * Writes config.json and one model.safetensors: the text part under the architecture's Hugging
   * Face names (transformers loads it, reporting our image tensors as unexpected keys it ignores),
   * the image parts under our own names, in the order given.
   */
  public static void write(Path dir, ModelConfig cfg, Map<String, INDArray> tensors,
      Safetensors.DType dtype) throws IOException {
    Files.createDirectories(dir);
    Safetensors.write(dir.resolve(WEIGHTS), HfNameMapping.of(cfg).toFile(tensors, cfg),
        Map.of("synergen_architecture", cfg.architecture()), dtype);
    HfConfig.write(dir.resolve(CONFIG), cfg, dtype);
  }
}
