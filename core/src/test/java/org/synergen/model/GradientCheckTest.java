package org.synergen.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.synergen.config.ModelConfig;
import org.synergen.model.nn.Execution;

/**
 * Central finite differences (double precision) against the hand-written backward pass, for
 * entries of every tensor: text layers, vision experts (MMoE routing), the folding embedding and
 * MLP, the unfolding head and both loss terms, on a batch with packed samples and padding.
 */
class GradientCheckTest {

  /**
   * 2x4 checks every tensor; 2x8 (unfold head as wide as the LLM, so no projection) re-checks the
   * parts whose shapes depend on the folding: the image parts, the vision experts and layer 0.
   * The third row re-checks the LLM layers with attention blocks of 3 rows (blocks that straddle
   * the packed samples), activation checkpointing and head chunks of 2 rows.
   */
  @ParameterizedTest(name = "fold {0}x{1}, unfold width {2}, attention block {4}, checkpoint {5}")
  @CsvSource({"2, 4, 12, '', 128, false", "2, 8, 8, vision|model.layers.0., 128, false",
      "2, 4, 12, model.layers., 3, true"})
  void analyticGradientsMatchFiniteDifferences(
      int foldRows, int foldCols, int unfoldHidden, String only, int block, boolean checkpoint) {
    ModelConfig base = TestConfigs.tiny(foldRows, foldCols);
    ModelConfig cfg = new ModelConfig(base.architecture(), base.vocabSize(), base.hiddenSize(), base.numLayers(),
        base.numHeads(), base.numKvHeads(), base.intermediateSize(), base.ropeTheta(), base.rmsNormEps(),
        base.attentionBias(), TestConfigs.vision(foldRows, foldCols, unfoldHidden, 2));
    SynerGenModel model = SynerGenModel.create(cfg, 3, DataType.DOUBLE);
    randomize(model, 11);
    model.setExecution(new Execution(false, block, checkpoint, block == 128 ? 512 : 2));
    Batch batch = TestBatches.mixed(cfg, 5);
    double lambda = 2.0;

    Loss loss = model.forwardBackward(batch, lambda);
    assertTrue(loss.textTargets() > 0 && loss.imageTargets() > 0);
    Map<String, INDArray> grads = model.gradients();
    assertEquals(model.parameters().keySet(), grads.keySet());

    Random r = new Random(17);
    List<String> failures = new ArrayList<>();
    int checked = 0;
    for (Map.Entry<String, INDArray> e : model.parameters().entrySet()) {
      INDArray p = e.getValue();
      INDArray g = grads.get(e.getKey()).dup();
      assertTrue(g.amaxNumber().doubleValue() > 0, e.getKey() + " got no gradient at all");
      if (!only.isEmpty() && !java.util.regex.Pattern.compile(only).matcher(e.getKey()).find()) {
        continue;
      }
      // the largest-gradient entry (an embedding row in use, ...) plus a random one
      List<Long> idx = new ArrayList<>();
      idx.add(Nd4j.argMax(Transforms_abs(g.reshape(g.length()))).getLong(0));
      idx.add((long) r.nextInt((int) p.length()));
      INDArray flat = p.reshape(p.length());
      for (long i : idx) {
        double orig = flat.getDouble(i);
        double h = 1e-5;
        flat.putScalar(i, orig + h);
        double up = model.loss(batch, lambda).total();
        flat.putScalar(i, orig - h);
        double down = model.loss(batch, lambda).total();
        flat.putScalar(i, orig);
        double numeric = (up - down) / (2 * h);
        double analytic = g.reshape(g.length()).getDouble(i);
        double tol = 1e-7 + 1e-5 * Math.max(Math.abs(numeric), Math.abs(analytic));
        if (Math.abs(numeric - analytic) > tol) {
          failures.add(e.getKey() + "[" + i + "]: analytic " + analytic + " numeric " + numeric);
        }
        checked++;
      }
    }
    assertTrue(failures.isEmpty(), failures.size() + " of " + checked + " entries differ:\n" + String.join("\n", failures));
  }

  private static INDArray Transforms_abs(INDArray a) {
    return org.nd4j.linalg.ops.transforms.Transforms.abs(a, true);
  }

  /** Weights of a trained-looking scale, norms around 1, non-zero biases, experts != text FFN. */
  static void randomize(SynerGenModel model, long seed) {
    Nd4j.getRandom().setSeed(seed);
    for (Map.Entry<String, INDArray> e : model.parameters().entrySet()) {
      INDArray p = e.getValue();
      INDArray noise = Nd4j.randn(p.dataType(), p.shape());
      if (e.getKey().endsWith("norm.weight")) {
        p.assign(noise.muli(0.2).addi(1.0));
      } else {
        p.assign(noise.muli(0.3));
      }
    }
  }
}
