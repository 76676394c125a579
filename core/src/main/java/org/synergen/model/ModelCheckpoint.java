package org.synergen.model;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.synergen.config.ModelConfig;
import org.synergen.io.FormatException;
import org.synergen.io.Safetensors;
import org.synergen.io.hf.HfCheckpoint;
import org.synergen.io.hf.HfNameMapping;

/**
 * A SynerGen-VL model's tensors from and to a checkpoint directory ({@link HfCheckpoint}'s
 * format). A checkpoint we saved loads back exactly. A text-only HF checkpoint (Qwen2 or
 * InternLM2) becomes a SynerGen-VL model as the paper initialises it: every vision expert is a
 * copy of its layer's text FFN and the other image parts start from a seeded random init.
 */
public final class ModelCheckpoint {
  /** Seed of the image parts' init when a text-only checkpoint does not say otherwise. */
  public static final long DEFAULT_IMAGE_SEED = 1234;

  /**
   * @param config            sizes, image parts included
   * @param parameters        every tensor of {@link ParameterShapes#of}, canonical names and order, float32
   * @param imagePartsCreated true when the directory was text-only and the image parts were made
   */
  public record Loaded(ModelConfig config, Map<String, INDArray> parameters, boolean imagePartsCreated) {}

  private ModelCheckpoint() {}

  /** Loads with the image-part sizes of config.json or {@code HfConfig.defaultVision}. */
  public static Loaded load(Path dir) throws IOException {
    return load(dir, null, DEFAULT_IMAGE_SEED);
  }

  /**
   * @param vision image-part sizes for a text-only checkpoint (a conf/model file's vision block);
   *               null for the defaults. Ignored for our own checkpoints, which carry theirs.
   * @param seed   init of the image parts a text-only checkpoint lacks
   */
  public static Loaded load(Path dir, ModelConfig.Vision vision, long seed) throws IOException {
    HfCheckpoint.Contents read = HfCheckpoint.read(dir, vision);
    ModelConfig cfg = read.config();
    Map<String, INDArray> params = read.tensors();
    boolean create = !read.imageParts();
    int needed = imageSpecialsEnd(cfg.vision());
    if (needed > cfg.vocabSize()) {
      if (!create) {
        throw new FormatException(dir + ": config.json places the image special tokens at ids up to "
            + (needed - 1) + " but the vocabulary has only " + cfg.vocabSize() + " entries");
      }
      cfg = growVocabulary(cfg, params, needed);
    }
    if (create) {
      createImageParts(cfg, params, seed);
    }
    return new Loaded(cfg, complete(dir.toString(), cfg, params), create);
  }

  /** Saves float32 tensors: bit-exact when loaded back. */
  public static void save(Path dir, ModelConfig cfg, Map<String, INDArray> params) throws IOException {
    save(dir, cfg, params, Safetensors.DType.F32);
  }

  /** Saves {@code params}, which must hold exactly the model's tensors, in {@code dtype}. */
  public static void save(Path dir, ModelConfig cfg, Map<String, INDArray> params, Safetensors.DType dtype)
      throws IOException {
    Map<String, INDArray> ordered;
    try {
      ordered = complete(dir.toString(), cfg, params);
    } catch (FormatException e) {
      throw new IllegalArgumentException("cannot save: " + e.getMessage(), e);
    }
    HfCheckpoint.write(dir, cfg, ordered, dtype);
  }

  private static int imageSpecialsEnd(ModelConfig.Vision v) {
    return Math.max(v.boiId(), Math.max(v.eoiId(), v.uncondId())) + 1;
  }

  /**
   * A base LLM whose vocabulary has no free rows for {@code <boi>}, {@code <eoi>} and
   * {@code <UNCOND>} (InternLM2 uses all 92544 ids) gets new rows appended to its embedding and
   * LM head, initialised as the mean of the existing rows (what transformers'
   * resize_token_embeddings does), so every existing token keeps its exact weights.
   */
  private static ModelConfig growVocabulary(ModelConfig cfg, Map<String, INDArray> params, int vocab) {
    for (String name : new String[] {"model.embed_tokens.weight", "lm_head.weight"}) {
      INDArray old = params.get(name);
      if (old == null) {
        continue; // reported as missing by complete()
      }
      INDArray grown = Nd4j.create(old.dataType(), vocab, old.size(1));
      grown.get(NDArrayIndex.interval(0, old.size(0)), NDArrayIndex.all()).assign(old);
      INDArray mean = old.mean(0);
      for (long row = old.size(0); row < vocab; row++) {
        grown.getRow(row).assign(mean);
      }
      params.put(name, grown);
    }
    return new ModelConfig(cfg.architecture(), vocab, cfg.hiddenSize(), cfg.numLayers(), cfg.numHeads(),
        cfg.numKvHeads(), cfg.intermediateSize(), cfg.ropeTheta(), cfg.rmsNormEps(), cfg.attentionBias(),
        cfg.vision());
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

  /** {@code params} in {@link ParameterShapes} order, after checking that they are exactly the model's tensors. */
  private static Map<String, INDArray> complete(String where, ModelConfig cfg, Map<String, INDArray> params)
      throws FormatException {
    Map<String, long[]> shapes = ParameterShapes.of(cfg);
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
      throw new FormatException(where + ": the tensors do not match config.json (" + problems.size()
          + " problems): " + String.join("; ", problems.subList(0, shown))
          + (shown < problems.size() ? "; ..." : ""));
    }
    Map<String, INDArray> ordered = new LinkedHashMap<>();
    for (String name : shapes.keySet()) {
      ordered.put(name, params.get(name));
    }
    return ordered;
  }
}
