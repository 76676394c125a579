package org.synergen.io.hf;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.synergen.config.ModelConfig;
import org.synergen.io.FormatException;

/**
 * InternLM2ForCausalLM (hub remote code, modeling_internlm2.py) to canonical names and back.
 *
 * <p>InternLM2 packs the q, k and v projections into one {@code attention.wqkv} matrix, grouped by
 * key/value head: its rows are {@code [kvHeads][groups + 2][headDim]} where the first
 * {@code groups = heads / kvHeads} slots of a group are that group's query heads, then its key
 * head, then its value head. Query head {@code h * groups + j} is slot {@code j} of group
 * {@code h}, the order the modelling code's {@code rearrange(..., '(h gs)')} produces.
 */
final class InternLM2Mapping implements HfNameMapping {

  private static final Pattern LAYER = Pattern.compile("model\\.layers\\.(\\d+)\\.(.+)");
  /** Per-layer InternLM2 suffix -> canonical suffix (wqkv is split separately). */
  private static final Map<String, String> LAYER_NAMES = Map.of(
      "attention.wo.weight", "self_attn.o_proj.weight",
      "attention_norm.weight", "input_layernorm.weight",
      "ffn_norm.weight", "post_attention_layernorm.weight",
      "feed_forward.w1.weight", "mlp.gate_proj.weight",
      "feed_forward.w3.weight", "mlp.up_proj.weight",
      "feed_forward.w2.weight", "mlp.down_proj.weight");
  private static final Map<String, String> TOP_NAMES = Map.of(
      "model.tok_embeddings.weight", "model.embed_tokens.weight",
      "model.norm.weight", "model.norm.weight",
      "output.weight", "lm_head.weight");

  @Override
  public Map<String, INDArray> toCanonical(Map<String, INDArray> file, ModelConfig cfg)
      throws FormatException {
    Map<String, INDArray> out = new LinkedHashMap<>();
    for (Map.Entry<String, INDArray> e : file.entrySet()) {
      String name = e.getKey();
      Matcher m = LAYER.matcher(name);
      if (HfNameMapping.isRecomputedBuffer(name)) {
        continue;
      } else if (HfNameMapping.isImagePart(name)) {
        out.put(name, e.getValue());
      } else if (TOP_NAMES.containsKey(name)) {
        out.put(TOP_NAMES.get(name), e.getValue());
      } else if (m.matches() && m.group(2).equals("attention.wqkv.weight")) {
        String p = "model.layers." + m.group(1) + ".self_attn.";
        INDArray[] qkv = unpack(name, e.getValue(), cfg);
        out.put(p + "q_proj.weight", qkv[0]);
        out.put(p + "k_proj.weight", qkv[1]);
        out.put(p + "v_proj.weight", qkv[2]);
      } else if (m.matches() && LAYER_NAMES.containsKey(m.group(2))) {
        out.put("model.layers." + m.group(1) + "." + LAYER_NAMES.get(m.group(2)), e.getValue());
      } else {
        throw new FormatException("tensor '" + name + "' is not part of an InternLM2ForCausalLM "
            + "(nor one of our image parts); is the architecture in config.json right?");
      }
    }
    return out;
  }

  @Override
  public Map<String, INDArray> toFile(Map<String, INDArray> canonical, ModelConfig cfg) {
    Map<String, String> back = new LinkedHashMap<>();
    TOP_NAMES.forEach((internlm, ours) -> back.put(ours, internlm));
    Map<String, INDArray> out = new LinkedHashMap<>();
    for (Map.Entry<String, INDArray> e : canonical.entrySet()) {
      String name = e.getKey();
      Matcher m = LAYER.matcher(name);
      if (HfNameMapping.isImagePart(name)) {
        out.put(name, e.getValue());
      } else if (back.containsKey(name)) {
        out.put(back.get(name), e.getValue());
      } else if (m.matches() && m.group(2).startsWith("self_attn.") && !m.group(2).startsWith("self_attn.o_proj")) {
        if (m.group(2).equals("self_attn.q_proj.weight")) { // k and v join it in wqkv
          String p = "model.layers." + m.group(1) + ".self_attn.";
          out.put("model.layers." + m.group(1) + ".attention.wqkv.weight", pack(
              canonical.get(p + "q_proj.weight"), canonical.get(p + "k_proj.weight"),
              canonical.get(p + "v_proj.weight"), cfg));
        } else if (m.group(2).endsWith(".bias")) {
          throw new IllegalArgumentException("InternLM2 checkpoints have no q/k/v biases, but "
              + name + " exists; the config should have attentionBias=false");
        }
      } else if (m.matches() && layerName(m.group(2)) != null) {
        out.put("model.layers." + m.group(1) + "." + layerName(m.group(2)), e.getValue());
      } else {
        throw new IllegalArgumentException("no InternLM2 name for parameter " + name);
      }
    }
    return out;
  }

  private static String layerName(String canonicalSuffix) {
    for (Map.Entry<String, String> e : LAYER_NAMES.entrySet()) {
      if (e.getValue().equals(canonicalSuffix)) {
        return e.getKey();
      }
    }
    return null;
  }

  /** wqkv [(heads + 2 kvHeads) headDim, d] -> q [heads headDim, d], k and v [kvHeads headDim, d]. */
  static INDArray[] unpack(String name, INDArray wqkv, ModelConfig cfg) throws FormatException {
    int kv = cfg.numKvHeads();
    int groups = cfg.numHeads() / kv;
    long hd = cfg.headDim();
    long d = cfg.hiddenSize();
    long[] expected = {(cfg.numHeads() + 2L * kv) * hd, d};
    if (!Arrays.equals(wqkv.shape(), expected)) {
      throw new FormatException("tensor '" + name + "' has shape " + Arrays.toString(wqkv.shape())
          + ", config.json implies " + Arrays.toString(expected)
          + " ((num_attention_heads + 2 num_key_value_heads) * head_dim, hidden_size)");
    }
    INDArray grouped = wqkv.reshape('c', kv, groups + 2, hd * d);
    INDArray q = grouped.get(NDArrayIndex.all(), NDArrayIndex.interval(0, groups), NDArrayIndex.all())
        .dup('c').reshape('c', (long) kv * groups * hd, d);
    INDArray k = grouped.get(NDArrayIndex.all(), NDArrayIndex.point(groups), NDArrayIndex.all())
        .dup('c').reshape('c', kv * hd, d);
    INDArray v = grouped.get(NDArrayIndex.all(), NDArrayIndex.point(groups + 1), NDArrayIndex.all())
        .dup('c').reshape('c', kv * hd, d);
    return new INDArray[] {q, k, v};
  }

  /** The inverse of {@link #unpack}. */
  static INDArray pack(INDArray q, INDArray k, INDArray v, ModelConfig cfg) {
    int kv = cfg.numKvHeads();
    int groups = cfg.numHeads() / kv;
    long hd = cfg.headDim();
    long d = cfg.hiddenSize();
    INDArray grouped = Nd4j.concat(1,
        q.dup('c').reshape('c', kv, groups, hd * d),
        k.dup('c').reshape('c', kv, 1, hd * d),
        v.dup('c').reshape('c', kv, 1, hd * d));
    return grouped.reshape('c', (long) kv * (groups + 2) * hd, d);
  }
}
