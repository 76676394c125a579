package org.synergen.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.synergen.config.ModelConfig;
import org.synergen.model.Batch;
import org.synergen.model.SynerGenModel;
import org.synergen.model.TestFixtures;
import org.synergen.train.freeze.FreezePolicy;
import org.synergen.train.freeze.TrainableSet;
import org.synergen.train.optim.AdamW;
import org.synergen.train.optim.GradientClipping;

/** The stage freeze sets, and what real optimizer steps under them do and do not change. */
class FreezePolicyTest {
  private final ModelConfig cfg = TestFixtures.tiny();

  @Test
  void stageSetsFollowThePaper() {
    SynerGenModel model = SynerGenModel.create(cfg, 1);
    TrainableSet s1 = FreezePolicy.STAGE1.select(cfg, model.parameters().keySet());
    assertTrue(s1.trains("vision.fold_mlp.fc1.weight"));
    assertTrue(s1.trains("vision.unfold_head.layers.0.self_attn.q_proj.weight"));
    assertTrue(s1.trains("model.layers.1.vision_mlp.down_proj.weight"));
    assertFalse(s1.trains("model.layers.1.mlp.down_proj.weight"));
    assertFalse(s1.trains("model.layers.0.self_attn.q_proj.weight"));
    assertFalse(s1.trains("model.norm.weight"));
    assertFalse(s1.trains("lm_head.weight"));
    ModelConfig.Vision v = cfg.vision();
    assertArrayEquals(new int[] {v.boiId(), v.eoiId(), v.uncondId()}, s1.rows("model.embed_tokens.weight"));

    TrainableSet s2 = FreezePolicy.STAGE2.select(cfg, model.parameters().keySet());
    assertTrue(s2.names().containsAll(s1.names()));
    assertTrue(s2.trains("model.layers.0.self_attn.q_proj.bias"));
    assertTrue(s2.trains("model.layers.1.self_attn.o_proj.weight"));
    assertFalse(s2.trains("model.layers.0.input_layernorm.weight"));
    assertFalse(s2.trains("model.layers.0.mlp.gate_proj.weight"));

    TrainableSet sft = FreezePolicy.SFT.select(cfg, model.parameters().keySet());
    assertEquals(model.parameters().keySet(), sft.names());
    assertNull(sft.rows("model.embed_tokens.weight"));
  }

  @ParameterizedTest
  @EnumSource(FreezePolicy.class)
  void stepsMoveExactlyTheTrainableTensors(FreezePolicy stage) {
    SynerGenModel model = SynerGenModel.create(cfg, 2);
    TrainableSet t = stage.select(cfg, model.parameters().keySet());
    model.setTrainable(t::trains);
    Map<String, INDArray> before = snapshot(model);
    int[] text = {7, 9, 6, 11, 12, 8, 15, 10}; // no image special tokens (3, 4, 5)
    INDArray logitsBefore = model.textLogits(text);

    AdamW opt = AdamW.paper(0.05);
    Batch batch = TestFixtures.mixedBatch(cfg);
    for (int s = 0; s < 3; s++) {
      model.forwardBackward(batch);
      GradientClipping.clip(model.gradients(), t, 1.0);
      opt.step(model.parameters(), model.gradients(), t, 1e-2);
    }
    for (Map.Entry<String, INDArray> e : model.parameters().entrySet()) {
      String name = e.getKey();
      INDArray old = before.get(name);
      INDArray now = e.getValue();
      if (!t.trains(name)) {
        assertTrue(bitEqual(old, now), name + " is frozen in " + stage + " but changed");
      } else if (t.rows(name) == null) {
        assertNotEquals(old, now, name + " trains in " + stage + " but did not move");
      } else {
        for (int r = 0; r < old.rows(); r++) {
          boolean trained = contains(t.rows(name), r);
          if (trained) {
            assertNotEquals(old.getRow(r), now.getRow(r), name + " row " + r + " did not move");
          } else {
            assertTrue(bitEqual(old.getRow(r), now.getRow(r)), name + " row " + r + " is frozen but changed");
          }
        }
      }
    }
    INDArray logitsAfter = model.textLogits(text);
    if (stage == FreezePolicy.STAGE1) {
      // bit-identical, not merely close: the text model is untouched
      assertTrue(bitEqual(logitsBefore, logitsAfter), "stage 1 changed text-only logits");
    } else {
      assertNotEquals(logitsBefore, logitsAfter);
    }
  }

  /** Exact equality of every value (INDArray.equals allows a small tolerance). */
  private static boolean bitEqual(INDArray a, INDArray b) {
    return java.util.Arrays.equals(a.dup().reshape(-1).toDoubleVector(), b.dup().reshape(-1).toDoubleVector());
  }

  private static boolean contains(int[] a, int x) {
    for (int v : a) {
      if (v == x) {
        return true;
      }
    }
    return false;
  }

  private static Map<String, INDArray> snapshot(SynerGenModel model) {
    Map<String, INDArray> m = new LinkedHashMap<>();
    model.parameters().forEach((k, v) -> m.put(k, v.dup()));
    return m;
  }
}
