package org.synergen.io.hf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.synergen.config.ModelConfig;

class InternLM2MappingTest {

  /** 6 heads in 2 KV groups of 3, head dim 2, d 12: wqkv has (6 + 2*2) * 2 = 20 rows. */
  private static final ModelConfig CFG = new ModelConfig("internlm2", 10, 12, 1, 6, 2, 8, 1e4, 1e-6,
      false, HfConfig.defaultVision("internlm2", 10, 12, 6, 8));

  @Test
  void wqkvRowsFollowTheGroupedLayout() throws Exception {
    // Row r of wqkv holds the value r in every column. Laid out by the modelling code's
    // rearrange('(h gs d)'), rows are: group 0: q0 q0 q1 q1 q2 q2 k0 k0 v0 v0, group 1: q3 ... v1 v1.
    INDArray wqkv = Nd4j.arange(20).castTo(DataType.FLOAT).reshape(20, 1).repeat(1, 12);
    INDArray[] qkv = InternLM2Mapping.unpack("wqkv", wqkv, CFG);
    float[] q = qkv[0].getColumn(0).toFloatVector();
    float[] k = qkv[1].getColumn(0).toFloatVector();
    float[] v = qkv[2].getColumn(0).toFloatVector();
    assertEquals("[0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 10.0, 11.0, 12.0, 13.0, 14.0, 15.0]",
        java.util.Arrays.toString(q));
    assertEquals("[6.0, 7.0, 16.0, 17.0]", java.util.Arrays.toString(k));
    assertEquals("[8.0, 9.0, 18.0, 19.0]", java.util.Arrays.toString(v));
    assertEquals(wqkv, InternLM2Mapping.pack(qkv[0], qkv[1], qkv[2], CFG));
  }

  @Test
  void namesMapBothWays() throws Exception {
    Map<String, INDArray> file = new java.util.LinkedHashMap<>();
    file.put("model.tok_embeddings.weight", Nd4j.rand(DataType.FLOAT, 10, 12));
    file.put("model.layers.0.attention.wqkv.weight", Nd4j.rand(DataType.FLOAT, 20, 12));
    file.put("model.layers.0.attention.wo.weight", Nd4j.rand(DataType.FLOAT, 12, 12));
    file.put("model.layers.0.attention_norm.weight", Nd4j.rand(DataType.FLOAT, 12));
    file.put("model.layers.0.ffn_norm.weight", Nd4j.rand(DataType.FLOAT, 12));
    file.put("model.layers.0.feed_forward.w1.weight", Nd4j.rand(DataType.FLOAT, 8, 12));
    file.put("model.layers.0.feed_forward.w3.weight", Nd4j.rand(DataType.FLOAT, 8, 12));
    file.put("model.layers.0.feed_forward.w2.weight", Nd4j.rand(DataType.FLOAT, 12, 8));
    file.put("model.layers.0.vision_mlp.up_proj.weight", Nd4j.rand(DataType.FLOAT, 8, 12));
    file.put("model.norm.weight", Nd4j.rand(DataType.FLOAT, 12));
    file.put("output.weight", Nd4j.rand(DataType.FLOAT, 10, 12));
    Map<String, INDArray> canonical = new InternLM2Mapping().toCanonical(file, CFG);
    assertEquals(file.get("model.layers.0.feed_forward.w1.weight"), canonical.get("model.layers.0.mlp.gate_proj.weight"));
    assertEquals(file.get("model.layers.0.feed_forward.w3.weight"), canonical.get("model.layers.0.mlp.up_proj.weight"));
    assertEquals(file.get("model.layers.0.feed_forward.w2.weight"), canonical.get("model.layers.0.mlp.down_proj.weight"));
    assertEquals(file.get("model.layers.0.attention.wo.weight"), canonical.get("model.layers.0.self_attn.o_proj.weight"));
    assertEquals(file.get("model.layers.0.attention_norm.weight"), canonical.get("model.layers.0.input_layernorm.weight"));
    assertEquals(file.get("model.layers.0.ffn_norm.weight"), canonical.get("model.layers.0.post_attention_layernorm.weight"));
    assertEquals(file.get("model.tok_embeddings.weight"), canonical.get("model.embed_tokens.weight"));
    assertEquals(file.get("output.weight"), canonical.get("lm_head.weight"));
    assertEquals(file.get("model.layers.0.vision_mlp.up_proj.weight"), canonical.get("model.layers.0.vision_mlp.up_proj.weight"));
    assertEquals(13, canonical.size());
    Map<String, INDArray> back = new InternLM2Mapping().toFile(canonical, CFG);
    assertEquals(file.keySet(), back.keySet());
    file.forEach((name, t) -> assertEquals(t, back.get(name), name));
  }
}
