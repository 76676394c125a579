package org.synergen.io.hf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.synergen.config.ModelConfig;
import org.synergen.io.FormatException;
import org.synergen.io.Safetensors;

/**
 * A Hugging Face {@code config.json} of a Qwen2ForCausalLM or InternLM2ForCausalLM checkpoint,
 * read into a {@link ModelConfig} and written back from one.
 *
 * <p>The text sizes come from the file. The image parts come from the file's own {@code synergen}
 * block when it has one (checkpoints we saved), else from the caller (a {@code conf/model} file's
 * vision block), else from {@link #defaultVision}: the paper's sizes scaled to the LLM.
 *
 * <p>Only what our model computes is accepted: SiLU SwiGLU, plain RoPE (InternLM2's "dynamic" NTK
 * scaling is accepted because it changes nothing up to {@code max_position_embeddings}), no
 * sliding window, no InternLM2 output-projection bias. Anything else is refused with the reason,
 * so a checkpoint never silently computes something different from transformers.
 *
 * @param model          the sizes (image parts included)
 * @param tiedEmbeddings the file says lm_head shares the embedding (Qwen2-0.5B does); on load
 *                       lm_head becomes a copy, and we always save it untied
 * @param hasImageParts  the file has a {@code synergen} block: a checkpoint we saved, with every
 *                       image tensor present
 */
public record HfConfig(ModelConfig model, boolean tiedEmbeddings, boolean hasImageParts) {

  public static final String QWEN2 = "Qwen2ForCausalLM";
  public static final String INTERNLM2 = "InternLM2ForCausalLM";
  /** Written for {@code max_position_embeddings}: RoPE itself has no limit; HF's default for Qwen2. */
  static final int MAX_POSITIONS = 32768;

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** Reads {@code file}; {@code vision} (may be null) sizes the image parts if the file has none. */
  public static HfConfig read(Path file, ModelConfig.Vision vision) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new NoSuchFileException(file.toString(), null,
          "no config.json: a checkpoint directory holds config.json + model.safetensors");
    }
    JsonNode c;
    try {
      c = JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new FormatException(file + ": not valid JSON (" + e.getMessage() + ")", e);
    }
    Reader r = new Reader(file, c);
    String hfArchitecture = c.path("architectures").path(0).asText("");
    String architecture = switch (hfArchitecture) {
      case QWEN2 -> "qwen2";
      case INTERNLM2 -> "internlm2";
      default -> throw new FormatException(file + ": architecture '" + hfArchitecture
          + "' is not supported (supported: " + QWEN2 + ", " + INTERNLM2 + ")");
    };
    String act = c.path("hidden_act").asText("silu");
    if (!act.equals("silu")) {
      throw new FormatException(file + ": hidden_act '" + act + "' is not supported (SwiGLU with silu only)");
    }
    boolean attentionBias;
    if (architecture.equals("qwen2")) {
      attentionBias = true; // Qwen2 always has q/k/v biases
      if (c.path("use_sliding_window").asBoolean(false)) {
        throw new FormatException(file + ": use_sliding_window=true is not supported (full causal attention only)");
      }
      checkPlainRope(file, c.path("rope_scaling"), false);
      checkPlainRope(file, c.path("rope_parameters"), false);
    } else {
      // InternLM2Config defaults bias to true; then wo has a bias, which our model lacks.
      if (c.path("bias").asBoolean(true)) {
        throw new FormatException(file + ": InternLM2 with bias=true (biases on wqkv and wo) is not "
            + "supported; the published InternLM2 checkpoints use bias=false");
      }
      attentionBias = false;
      checkPlainRope(file, c.path("rope_scaling"), true);
    }
    int hidden = r.integer("hidden_size");
    int heads = r.integer("num_attention_heads");
    if (c.has("head_dim") && !c.get("head_dim").isNull() && c.get("head_dim").asInt() != hidden / heads) {
      throw new FormatException(file + ": head_dim " + c.get("head_dim").asInt() + " differs from "
          + "hidden_size / num_attention_heads = " + hidden / heads + "; not supported");
    }
    double ropeTheta = c.has("rope_theta") ? c.get("rope_theta").asDouble()
        : c.path("rope_parameters").path("rope_theta").asDouble(10000.0);
    int vocab = r.integer("vocab_size");
    int layers = r.integer("num_hidden_layers");
    int kvHeads = c.has("num_key_value_heads") && !c.get("num_key_value_heads").isNull()
        ? r.integer("num_key_value_heads") : heads;
    int intermediate = r.integer("intermediate_size");
    double eps = c.path("rms_norm_eps").asDouble(1e-6);
    boolean tied = c.path("tie_word_embeddings").asBoolean(false);

    JsonNode block = c.path("synergen");
    ModelConfig.Vision v;
    if (block.isObject()) {
      v = readVision(new Reader(file, block));
    } else if (vision != null) {
      v = vision;
    } else {
      v = defaultVision(architecture, vocab, hidden, heads, intermediate);
    }
    try {
      return new HfConfig(new ModelConfig(architecture, vocab, hidden, layers, heads, kvHeads,
          intermediate, ropeTheta, eps, attentionBias, v), tied, block.isObject());
    } catch (IllegalArgumentException e) {
      throw new FormatException(file + ": " + e.getMessage(), e);
    }
  }

  private static void checkPlainRope(Path file, JsonNode rope, boolean dynamicAllowed)
      throws FormatException {
    if (rope.isMissingNode() || rope.isNull()) {
      return;
    }
    String type = rope.has("rope_type") ? rope.get("rope_type").asText() : rope.path("type").asText("default");
    if (type.equals("default") || (dynamicAllowed && type.equals("dynamic"))) {
      return;
    }
    throw new FormatException(file + ": RoPE scaling '" + type + "' is not supported (plain RoPE only"
        + (dynamicAllowed ? "; InternLM2's 'dynamic' is accepted" : "") + ")");
  }

  /**
   * Image-part sizes for a text-only checkpoint when no conf/model file is given: the paper's
   * (codebook 32768 at 256 dims, a 64x64 position grid for 512x512 images, folding 2x8 on InternLM2
   * and 2x4 on Qwen2 as in its ablations, a 4-layer unfolding head), with widths taken from the LLM
   * (folding MLP 4 x d, unfolding head d wide with the LLM's heads and FFN width), and the last
   * three vocabulary ids (unused padding rows in Qwen2 and InternLM2) for boi, eoi and UNCOND.
   * Training jobs pass the vision block of their conf/model file instead.
   */
  public static ModelConfig.Vision defaultVision(String architecture, int vocab, int hidden,
      int heads, int intermediate) {
    int foldCols = architecture.equals("internlm2") ? 8 : 4;
    return new ModelConfig.Vision(32768, 256, 64, 64, 2, foldCols, 4 * hidden, 4, hidden, heads,
        intermediate, vocab - 3, vocab - 2, vocab - 1);
  }

  private static ModelConfig.Vision readVision(Reader r) throws FormatException {
    return new ModelConfig.Vision(r.integer("codebook_size"), r.integer("embed_dim"),
        r.integer("max_grid_rows"), r.integer("max_grid_cols"), r.integer("fold_rows"),
        r.integer("fold_cols"), r.integer("fold_mlp_hidden"), r.integer("unfold_layers"),
        r.integer("unfold_hidden"), r.integer("unfold_heads"), r.integer("unfold_intermediate"),
        r.integer("boi_id"), r.integer("eoi_id"), r.integer("uncond_id"));
  }

  /**
   * The config.json transformers needs to load the text part ({@code tie_word_embeddings} false:
   * lm_head is always written), plus our {@code synergen} block for the image parts.
   * {@code dtype} is the tensor type in model.safetensors.
   */
  public static ObjectNode toJson(ModelConfig m, Safetensors.DType dtype) {
    ObjectNode c = JSON.createObjectNode();
    boolean internlm = m.architecture().equals("internlm2");
    c.putArray("architectures").add(internlm ? INTERNLM2 : QWEN2);
    c.put("model_type", m.architecture());
    if (internlm) {
      // transformers has no built-in InternLM2: it loads the hub's modelling files placed next to
      // config.json (trust_remote_code=True), which these entries name.
      ObjectNode autoMap = c.putObject("auto_map");
      autoMap.put("AutoConfig", "configuration_internlm2.InternLM2Config");
      autoMap.put("AutoModel", "modeling_internlm2.InternLM2ForCausalLM");
      autoMap.put("AutoModelForCausalLM", "modeling_internlm2.InternLM2ForCausalLM");
      c.put("bias", false);
      c.putNull("rope_scaling");
    } else {
      c.put("use_sliding_window", false);
      c.putNull("sliding_window");
      c.put("attention_dropout", 0.0);
      // transformers >= 5 reads rope_parameters, 4.x reads rope_theta: both are written
      ObjectNode rope = c.putObject("rope_parameters");
      rope.put("rope_type", "default");
      rope.put("rope_theta", m.ropeTheta());
    }
    c.put("vocab_size", m.vocabSize());
    c.put("hidden_size", m.hiddenSize());
    c.put("intermediate_size", m.intermediateSize());
    c.put("num_hidden_layers", m.numLayers());
    c.put("num_attention_heads", m.numHeads());
    c.put("num_key_value_heads", m.numKvHeads());
    c.put("hidden_act", "silu");
    c.put("max_position_embeddings", MAX_POSITIONS);
    c.put("rms_norm_eps", m.rmsNormEps());
    c.put("rope_theta", m.ropeTheta());
    c.put("tie_word_embeddings", false);
    c.put("initializer_range", 0.02);
    c.put("use_cache", true);
    String torchDtype = switch (dtype) {
      case F32 -> "float32";
      case F16 -> "float16";
      case BF16 -> "bfloat16";
    };
    c.put("torch_dtype", torchDtype); // transformers 4.x
    c.put("dtype", torchDtype); // transformers 5.x
    ModelConfig.Vision v = m.vision();
    ObjectNode s = c.putObject("synergen");
    s.put("codebook_size", v.codebookSize());
    s.put("embed_dim", v.embedDim());
    s.put("max_grid_rows", v.maxGridRows());
    s.put("max_grid_cols", v.maxGridCols());
    s.put("fold_rows", v.foldRows());
    s.put("fold_cols", v.foldCols());
    s.put("fold_mlp_hidden", v.foldMlpHidden());
    s.put("unfold_layers", v.unfoldLayers());
    s.put("unfold_hidden", v.unfoldHidden());
    s.put("unfold_heads", v.unfoldHeads());
    s.put("unfold_intermediate", v.unfoldIntermediate());
    s.put("boi_id", v.boiId());
    s.put("eoi_id", v.eoiId());
    s.put("uncond_id", v.uncondId());
    return c;
  }

  public static void write(Path file, ModelConfig m, Safetensors.DType dtype) throws IOException {
    Files.writeString(file, JSON.writeValueAsString(toJson(m, dtype)) + "\n");
  }

  /** Required integers, with the file and key in the error. */
  private record Reader(Path file, JsonNode node) {
    int integer(String key) throws FormatException {
      JsonNode n = node.get(key);
      int least = key.endsWith("_id") ? 0 : 1; // token ids may be 0, sizes may not
      if (n == null || !n.isIntegralNumber() || !n.canConvertToInt() || n.asInt() < least) {
        throw new FormatException(file + ": '" + key + "' is missing or not an integer >= " + least
            + (n == null ? "" : " (it is " + n + ")"));
      }
      return n.asInt();
    }
  }
}
