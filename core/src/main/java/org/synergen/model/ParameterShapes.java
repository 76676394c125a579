package org.synergen.model;

import java.util.LinkedHashMap;
import org.synergen.config.ModelConfig;
import org.synergen.model.nn.LayerShape;
import org.synergen.model.vision.UnfoldHead;

/**
 * Every tensor of a SynerGen-VL model by canonical name, with its shape, in a fixed order: the
 * text part under Hugging Face Qwen2 names, then the image parts under {@code vision.*} (and the
 * per-layer vision experts {@code model.layers.i.vision_mlp.*}). See docs/formats.md, "Checkpoints".
 */
public final class ParameterShapes {
  private ParameterShapes() {}

  public static LinkedHashMap<String, long[]> of(ModelConfig cfg) {
    LinkedHashMap<String, long[]> s = new LinkedHashMap<>();
    long d = cfg.hiddenSize();
    ModelConfig.Vision v = cfg.vision();
    s.put("model.embed_tokens.weight", new long[] {cfg.vocabSize(), d});
    for (int i = 0; i < cfg.numLayers(); i++) {
      layer(s, "model.layers." + i, LayerShape.llm(cfg), true);
    }
    s.put("model.norm.weight", new long[] {d});
    s.put("lm_head.weight", new long[] {cfg.vocabSize(), d});

    long e = v.embedDim();
    s.put("vision.embed_tokens.weight", new long[] {v.codebookSize(), e});
    s.put("vision.pos_embed.weight", new long[] {(long) v.maxGridRows() * v.maxGridCols(), e});
    s.put("vision.fold_mlp.fc1.weight", new long[] {v.foldMlpHidden(), v.foldSize() * e});
    s.put("vision.fold_mlp.fc1.bias", new long[] {v.foldMlpHidden()});
    s.put("vision.fold_mlp.fc2.weight", new long[] {d, v.foldMlpHidden()});
    s.put("vision.fold_mlp.fc2.bias", new long[] {d});

    String h = UnfoldHead.PREFIX;
    long u = v.unfoldHidden();
    if (u != d) {
      s.put(h + ".proj.weight", new long[] {u, d});
    }
    s.put(h + ".embed_tokens.weight", new long[] {v.codebookSize(), u});
    s.put(h + ".slot_embed.weight", new long[] {v.foldSize(), u});
    for (int j = 0; j < v.unfoldLayers(); j++) {
      layer(s, h + ".layers." + j, LayerShape.unfoldHead(cfg), false);
    }
    s.put(h + ".norm.weight", new long[] {u});
    s.put(h + ".lm_head.weight", new long[] {v.codebookSize(), u});
    return s;
  }

  private static void layer(LinkedHashMap<String, long[]> s, String p, LayerShape shape, boolean vision) {
    long d = shape.width();
    long ffn = shape.intermediate();
    boolean bias = shape.qkvBias();
    long qw = (long) shape.heads() * shape.headDim();
    long kvw = (long) shape.kvHeads() * shape.headDim();
    s.put(p + ".input_layernorm.weight", new long[] {d});
    s.put(p + ".self_attn.q_proj.weight", new long[] {qw, d});
    if (bias) {
      s.put(p + ".self_attn.q_proj.bias", new long[] {qw});
    }
    s.put(p + ".self_attn.k_proj.weight", new long[] {kvw, d});
    if (bias) {
      s.put(p + ".self_attn.k_proj.bias", new long[] {kvw});
    }
    s.put(p + ".self_attn.v_proj.weight", new long[] {kvw, d});
    if (bias) {
      s.put(p + ".self_attn.v_proj.bias", new long[] {kvw});
    }
    s.put(p + ".self_attn.o_proj.weight", new long[] {d, qw});
    s.put(p + ".post_attention_layernorm.weight", new long[] {d});
    for (String mlp : vision ? new String[] {"mlp", "vision_mlp"} : new String[] {"mlp"}) {
      s.put(p + "." + mlp + ".gate_proj.weight", new long[] {ffn, d});
      s.put(p + "." + mlp + ".up_proj.weight", new long[] {ffn, d});
      s.put(p + "." + mlp + ".down_proj.weight", new long[] {d, ffn});
    }
  }
}
