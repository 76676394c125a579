package org.synergen.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.io.File;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.synergen.config.ModelConfig;
import org.synergen.model.Batch;
import org.synergen.model.Loss;
import org.synergen.model.SynerGenModel;

/**
 * Our hand-written forward and backward against the same model written on libtorch with its
 * autograd (an independent implementation): same weights and batch in, same losses and
 * gradients out.
 */
class LibtorchTwinTest {

  private static ModelConfig tiny() {
    return ModelConfig.fromConfig(
        ConfigFactory.parseFile(new File("../conf/model/tiny.conf")).resolve().getConfig("model"));
  }

  /** tiny.conf with a narrower unfolding head (exercises its input projection) and 2x8 folding. */
  private static ModelConfig tinyNarrowHead() {
    ModelConfig c = tiny();
    ModelConfig.Vision v = c.vision();
    ModelConfig.Vision nv = new ModelConfig.Vision(v.codebookSize(), v.embedDim(), v.maxGridRows(), v.maxGridCols(),
        2, 8, v.foldMlpHidden(), 2, 32, 2, 48, v.boiId(), v.eoiId(), v.uncondId());
    return new ModelConfig(c.architecture(), c.vocabSize(), c.hiddenSize(), c.numLayers(), c.numHeads(),
        c.numKvHeads(), c.intermediateSize(), c.ropeTheta(), c.rmsNormEps(), c.attentionBias(), nv);
  }

  @Test
  void lossesAndGradientsMatchLibtorchAutograd() {
    check(tiny(), SyntheticBatches.mixed(tiny(), 2, 48, 2, 4, 7));
  }

  @Test
  void narrowUnfoldingHeadAnd2x8FoldingMatchToo() {
    check(tinyNarrowHead(), SyntheticBatches.mixed(tinyNarrowHead(), 2, 40, 2, 4, 11));
  }

  private static void check(ModelConfig cfg, Batch batch) {
    SynerGenModel ours = SynerGenModel.create(cfg, 3);
    // Weights 10x the init scale make the logits far from uniform, so the losses are sensitive to
    // every part of the forward pass; norms and biases move away from 1 / 0 so theirs are tested too.
    ours.parameters().forEach((name, t) -> {
      if (name.endsWith("norm.weight") || name.endsWith(".bias")) {
        t.addi(Nd4j.randn(t.dataType(), t.shape()).muli(0.1));
      } else {
        t.muli(10);
      }
    });
    try (LibtorchSynerGen twin = new LibtorchSynerGen(cfg, ours.parameters())) {
      double[] expected = twin.loss(batch, 2.0);
      Loss got = ours.forwardBackward(batch, 2.0);
      assertEquals(expected[1], got.text(), 1e-4, "text CE");
      assertEquals(expected[2], got.image(), 1e-4, "image-id CE");
      assertEquals(expected[0], got.total(), 2e-4, "total loss");

      twin.forwardBackward(batch, 2.0);
      Map<String, INDArray> grads = ours.gradients();
      assertEquals(ours.parameters().keySet(), grads.keySet(), "every parameter gets a gradient");
      for (Map.Entry<String, INDArray> e : grads.entrySet()) {
        float[] want = twin.gradient(e.getKey());
        float[] have = e.getValue().dup('c').data().asFloat();
        assertEquals(want.length, have.length, e.getKey());
        double scale = 1e-6;
        double maxDiff = 0;
        for (int i = 0; i < want.length; i++) {
          scale = Math.max(scale, Math.abs(want[i]));
          maxDiff = Math.max(maxDiff, Math.abs(want[i] - have[i]));
        }
        assertTrue(maxDiff <= 1e-3 * scale + 1e-6,
            e.getKey() + ": max |ours - libtorch| = " + maxDiff + " (largest gradient " + scale + ")");
      }
    }
  }
}
