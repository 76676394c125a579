package org.synergen.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.synergen.config.ModelConfig;

class SynerGenModelTest {
  private final ModelConfig cfg = TestConfigs.tiny(2, 4);

  /** Packing two samples in one row gives each the loss it has alone (segment mask + RoPE restart). */
  @Test
  void packedSamplesDoNotSeeEachOther() {
    SynerGenModel model = SynerGenModel.create(cfg, 4, DataType.DOUBLE);
    GradientCheckTest.randomize(model, 8);
    int[] a = {7, 9, 3, 11, 4};
    int[] b = {8, 15, 6, 10};
    Loss la = model.loss(Batch.textOnly(1, a.length, 8, a), 2);
    Loss lb = model.loss(Batch.textOnly(1, b.length, 8, b), 2);
    int[] packed = new int[9];
    System.arraycopy(a, 0, packed, 0, 5);
    System.arraycopy(b, 0, packed, 5, 4);
    Batch p = Batch.textOnly(1, 9, 8, packed);
    for (int i = 5; i < 9; i++) {
      p.segment()[i] = 1;
    }
    p.textLoss()[4] = false; // a's last token does not predict b's first
    Loss lp = model.loss(p, 2);
    double expected = (la.text() * la.textTargets() + lb.text() * lb.textTargets()) / (la.textTargets() + lb.textTargets());
    assertEquals(expected, lp.text(), 1e-12);
  }

  /** The vision expert gets gradient only from image tokens, the text FFN only from text tokens. */
  @Test
  void expertsAreRoutedByModality() {
    SynerGenModel model = SynerGenModel.create(cfg, 4, DataType.DOUBLE);
    GradientCheckTest.randomize(model, 8);
    model.forwardBackward(Batch.textOnly(2, 5, 8, new int[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}));
    Map<String, INDArray> g = model.gradients();
    assertEquals(0.0, g.get("model.layers.0.vision_mlp.up_proj.weight").amaxNumber().doubleValue());
    assertTrue(g.get("model.layers.0.mlp.up_proj.weight").amaxNumber().doubleValue() > 0);

    // an all-image row: the text FFN is untouched
    Batch mixed = TestBatches.mixed(cfg, 5);
    boolean[] image = new boolean[mixed.image().length];
    for (int i = 0; i < 11; i++) {
      image[i] = true;
    }
    int[] ids = new int[image.length * 8];
    for (int i = 0; i < 11 * 8; i++) {
      ids[i] = i % cfg.vision().codebookSize();
    }
    Batch allImage = new Batch(1, 11, 8, new int[11], java.util.Arrays.copyOf(image, 11), new int[11],
        java.util.Arrays.copyOf(ids, 88), java.util.Arrays.copyOf(ids, 88), new int[11], new boolean[11],
        java.util.Arrays.copyOf(ids, 88), java.util.Arrays.copyOf(image, 11));
    model.forwardBackward(allImage);
    g = model.gradients();
    assertEquals(0.0, g.get("model.layers.1.mlp.gate_proj.weight").amaxNumber().doubleValue());
    assertTrue(g.get("model.layers.1.vision_mlp.gate_proj.weight").amaxNumber().doubleValue() > 0);
  }

  /**
   * Steps reuse the memory of earlier steps' temporaries (ND4J workspaces, see StepMemory): a
   * batch's losses and gradients must be bit for bit the same whether the step before it ran a
   * larger batch, a smaller one or the same one.
   */
  @Test
  void aStepDoesNotDependOnTheStepsBefore() {
    SynerGenModel model = SynerGenModel.create(cfg, 4);
    Batch batch = TestBatches.mixed(cfg, 5);
    int[] many = new int[3 * 16];
    for (int i = 0; i < many.length; i++) {
      many[i] = 6 + i % 11;
    }
    Batch larger = Batch.textOnly(3, 16, 8, many);
    Batch smaller = Batch.textOnly(1, 3, 8, new int[] {7, 8, 9});
    Loss expected = model.forwardBackward(batch);
    Map<String, float[]> want = new LinkedHashMap<>();
    model.gradients().forEach((name, g) -> want.put(name, g.dup().data().asFloat()));
    for (Batch before : new Batch[] {larger, batch, smaller}) {
      model.forwardBackward(before);
      assertEquals(expected, model.forwardBackward(batch), "after " + before);
      model.gradients().forEach((name, g) -> assertArrayEquals(want.get(name), g.data().asFloat(), name));
    }
  }

  @Test
  void fromParametersRoundTripsAndExplainsBadInput() {
    SynerGenModel model = SynerGenModel.create(cfg, 1);
    int[] tokens = {1, 2, 3};
    SynerGenModel again = SynerGenModel.fromParameters(cfg, new LinkedHashMap<>(model.parameters()));
    assertEquals(model.textLogits(tokens), again.textLogits(tokens));

    Map<String, INDArray> missing = new LinkedHashMap<>(model.parameters());
    missing.remove("model.layers.1.self_attn.k_proj.bias");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SynerGenModel.fromParameters(cfg, missing));
    assertTrue(e.getMessage().contains("model.layers.1.self_attn.k_proj.bias"), e.getMessage());

    Map<String, INDArray> wrong = new LinkedHashMap<>(model.parameters());
    wrong.put("lm_head.weight", Nd4j.zeros(DataType.FLOAT, 3, 3));
    e = assertThrows(IllegalArgumentException.class, () -> SynerGenModel.fromParameters(cfg, wrong));
    assertTrue(e.getMessage().contains("lm_head.weight") && e.getMessage().contains("[3, 3]"), e.getMessage());

    e = assertThrows(IllegalArgumentException.class, () -> model.textLogits(new int[] {1, cfg.vocabSize()}));
    assertTrue(e.getMessage().contains("outside the vocabulary"), e.getMessage());
  }
}
