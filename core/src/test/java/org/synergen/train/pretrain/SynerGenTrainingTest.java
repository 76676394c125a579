package org.synergen.train.pretrain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.synergen.model.SynerGenModel;
import org.synergen.train.data.StepBatches;
import org.synergen.train.data.TokenShardSlices;
import org.synergen.train.distributed.RoundResult;
import org.synergen.train.distributed.RoundRunner;
import org.synergen.train.distributed.TrainingState;
import org.synergen.train.distributed.WorkerReport;
import org.synergen.train.distributed.toy.ToySetup;
import org.synergen.train.freeze.FreezePolicy;
import org.synergen.train.freeze.TrainableTensors;

/** Stage 1 then stage 2 of the tiny model, two workers on Spark local mode, synthetic rows. */
class SynerGenTrainingTest {
  private static JavaSparkContext sc;
  private static final int[] TEXT = {72, 101, 108, 108, 111, 44, 32, 119, 111, 114, 108, 100, 33, 10, 256, 261};

  @BeforeAll
  static void spark() {
    sc = ToySetup.spark(2, 1);
  }

  @AfterAll
  static void stop() {
    sc.stop();
  }

  private record Run(TrainingState end, double[] firstLoss, double[] lastLoss) {}

  private static Run rounds(TrainingState s, SynerGenLocalTrainer trainer, TokenShardSlices data, int h, int rounds) {
    RoundRunner<StepBatches> runner = new RoundRunner<>(sc, trainer, data, TinyPretrain.settings(2, h));
    double[] first = null;
    double[] last = null;
    for (int r = 0; r < rounds; r++) {
      RoundResult res = runner.run(s);
      s = res.state();
      double[] l = new double[2];
      for (WorkerReport w : res.reports()) {
        l[0] += w.taskLosses().get("und") / res.reports().size();
        l[1] += w.taskLosses().get("gen") / res.reports().size();
      }
      first = first == null ? l : first;
      last = l;
    }
    return new Run(s, first, last);
  }

  private static boolean bitEqual(INDArray a, INDArray b) {
    float[] x = TrainableTensors.floats(a);
    float[] y = TrainableTensors.floats(b);
    if (x.length != y.length) {
      return false;
    }
    for (int i = 0; i < x.length; i++) {
      if (Float.floatToRawIntBits(x[i]) != Float.floatToRawIntBits(y[i])) {
        return false;
      }
    }
    return true;
  }

  @Test
  void stage1LearnsWithTheTextModelBitIdenticalThenStage2MovesAttention() {
    SynerGenModel base = SynerGenModel.create(TinyPretrain.CFG, 11);
    Map<String, INDArray> baseParams = base.parameters();
    INDArray baseLogits = base.textLogits(TEXT);
    TokenShardSlices data = TinyPretrain.data();

    SynerGenLocalTrainer s1 = TinyPretrain.trainer(FreezePolicy.STAGE1, 1e-2);
    TrainingState start = TinyPretrain.start(1, baseParams, s1, 2);
    // only the 3 image special-token rows of the 264 x 64 text embedding travel
    assertArrayEquals(new long[] {3, 64}, start.trainable().shape("model.embed_tokens.weight" + TrainableTensors.ROWS));
    assertFalse(start.trainable().contains("model.embed_tokens.weight"));
    Run stage1 = rounds(start, s1, data, 2, 8);
    System.out.println("stage 1 losses (und, gen): " + Arrays.toString(stage1.firstLoss()) + " -> " + Arrays.toString(stage1.lastLoss()));
    assertTrue(stage1.lastLoss()[0] < 0.95 * stage1.firstLoss()[0],
        "understanding loss " + Arrays.toString(stage1.firstLoss()) + " -> " + Arrays.toString(stage1.lastLoss()));
    assertTrue(stage1.lastLoss()[1] < 0.8 * stage1.firstLoss()[1],
        "generation loss " + Arrays.toString(stage1.firstLoss()) + " -> " + Arrays.toString(stage1.lastLoss()));

    SynerGenModel after1 = TinyPretrain.model(stage1.end(), s1);
    assertTrue(bitEqual(baseLogits, after1.textLogits(TEXT)), "text-only logits after stage 1 must be bit-identical");
    Map<String, INDArray> p1 = after1.parameters();
    for (String name : TinyPretrain.names()) {
      boolean image = name.startsWith("vision.") || name.contains(".vision_mlp.");
      if (name.equals("model.embed_tokens.weight")) {
        continue;
      }
      assertEquals(!image, bitEqual(baseParams.get(name), p1.get(name)), name + (image ? " should train" : " should stay frozen"));
    }
    INDArray e0 = baseParams.get("model.embed_tokens.weight");
    INDArray e1 = p1.get("model.embed_tokens.weight");
    Set<Integer> special = new HashSet<>(List.of(258, 259, 260));
    for (int r = 0; r < e0.rows(); r++) {
      assertEquals(!special.contains(r), bitEqual(e0.getRow(r), e1.getRow(r)), "embedding row " + r);
    }

    // stage 2 starts from stage 1's weights with fresh AdamW state and adds self-attention
    SynerGenLocalTrainer s2 = TinyPretrain.trainer(FreezePolicy.STAGE2, 1e-3);
    Run stage2 = rounds(TinyPretrain.start(2, p1, s2, 2), s2, data, 2, 2);
    Map<String, INDArray> p2 = TinyPretrain.model(stage2.end(), s2).parameters();
    for (String name : TinyPretrain.names()) {
      if (name.equals("model.embed_tokens.weight")) {
        continue;
      }
      boolean trains = name.startsWith("vision.") || name.contains(".vision_mlp.") || name.contains(".self_attn.");
      assertEquals(!trains, bitEqual(p1.get(name), p2.get(name)), name + (trains ? " should train" : " should stay frozen"));
    }
    for (int r = 0; r < e1.rows(); r++) {
      if (!special.contains(r)) {
        assertTrue(bitEqual(e1.getRow(r), p2.get("model.embed_tokens.weight").getRow(r)), "embedding row " + r);
      }
    }
  }
}
