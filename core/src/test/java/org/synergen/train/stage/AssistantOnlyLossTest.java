package org.synergen.train.stage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.io.File;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.synergen.config.ModelConfig;
import org.synergen.data.TokenShardRow;
import org.synergen.model.Batch;
import org.synergen.model.Loss;
import org.synergen.model.SynerGenModel;
import org.synergen.train.data.SampleLayout;
import org.synergen.train.data.SequencePacker;

/**
 * SFT's loss falls on the assistant's tokens only: on the tiny model, with conversation rows whose
 * text_loss marks the answers, a target at any position the mask leaves out (system, user, the
 * assistant prefix, the newline after {@code <|im_end|>}) can be anything: the loss and every
 * parameter's gradient stay bit-identical; changing one answer target changes them.
 */
class AssistantOnlyLossTest {
  private static final ModelConfig CFG =
      ModelConfig.fromConfig(ConfigFactory.parseFile(new File("../conf/model/tiny.conf")).getConfig("model"));
  private static final int SEQ = 256;

  private record Pass(double loss, Map<String, float[]> grads) {}

  private static Pass pass(SynerGenModel model, Batch b) {
    Loss l = model.forwardBackward(b, SynerGenModel.DEFAULT_IMAGE_LOSS_WEIGHT);
    Map<String, float[]> grads = new LinkedHashMap<>();
    model.gradients().forEach((name, g) -> grads.put(name, g.dup('c').data().asFloat()));
    return new Pass(l.total(), grads);
  }

  private static Batch batchOf(TokenShardRow... rows) {
    List<SampleLayout> packed = new java.util.ArrayList<>();
    for (TokenShardRow r : rows) {
      packed.add(SampleLayout.of(r, CFG.vision()));
    }
    return SequencePacker.batch(List.of(packed), SEQ, CFG.vision().foldSize());
  }

  private static Batch withTextTargets(Batch b, int[] targets) {
    return new Batch(b.batchSize(), b.seqLen(), b.foldSize(), b.tokens(), b.image(), b.segment(), b.imageIds(),
        b.imagePos(), targets, b.textLoss(), b.imageTarget(), b.imageLoss());
  }

  private static void assertSame(Pass expected, Pass actual, String what) {
    assertEquals(Double.doubleToRawLongBits(expected.loss()), Double.doubleToRawLongBits(actual.loss()), what + ": loss");
    assertEquals(expected.grads().keySet(), actual.grads().keySet());
    for (String name : expected.grads().keySet()) {
      assertArrayEquals(expected.grads().get(name), actual.grads().get(name), what + ": gradient of " + name);
    }
  }

  private static boolean anyGradientDiffers(Pass a, Pass b) {
    for (String name : a.grads().keySet()) {
      if (!java.util.Arrays.equals(a.grads().get(name), b.grads().get(name))) {
        return true;
      }
    }
    return false;
  }

  @Test
  void onlyTheAssistantsTargetsCount() {
    SynerGenModel model = SynerGenModel.create(CFG, 3);
    TokenShardRow und = ConversationRows.understanding(CFG, "q", "blue", 4, 8, 11);
    TokenShardRow gen = ConversationRows.generation(CFG, "g", "a red square", 4, 8, 12);
    Batch b = batchOf(und, gen);
    int n = b.textLoss().length;
    int counted = 0;
    for (boolean f : b.textLoss()) {
      counted += f ? 1 : 0;
    }
    // "blue" + <|im_end|> twice, then the image answer's <boi>, <eoi>, <|im_end|>
    assertEquals(2 * ("blue".length() + 1) + 3, counted, "text targets under the mask");
    Pass base = pass(model, b);
    assertTrue(Double.isFinite(base.loss()) && base.loss() > 0);

    // every left-out target at once: the real next token (what an unmasked layout would ask for)
    int[] real = b.textTarget().clone();
    int[] random = b.textTarget().clone();
    java.util.SplittableRandom rng = new java.util.SplittableRandom(5);
    int leftOut = 0;
    for (int i = 0; i + 1 < n; i++) {
      if (!b.textLoss()[i]) {
        real[i] = b.image()[i + 1] ? 0 : b.tokens()[i + 1];
        random[i] = rng.nextInt(CFG.vocabSize());
        leftOut++;
      }
    }
    assertTrue(leftOut > 5 * counted, "the rows are mostly prompt: " + leftOut + " left-out positions");
    assertSame(base, pass(model, withTextTargets(b, real)), "left-out targets = the next tokens");
    assertSame(base, pass(model, withTextTargets(b, random)), "left-out targets = random ids");

    // and each one alone (a system, a user, the assistant prefix, the newline after <|im_end|>...)
    for (int i = 0; i < n; i += 7) {
      if (!b.textLoss()[i]) {
        int[] one = b.textTarget().clone();
        one[i] = (one[i] + 1 + i) % CFG.vocabSize();
        assertSame(base, pass(model, withTextTargets(b, one)), "left-out target at " + i);
      }
    }

    // an answer target changed: the loss and the gradients move
    int answers = 0;
    for (int i = 0; i < n; i++) {
      if (b.textLoss()[i]) {
        int[] one = b.textTarget().clone();
        one[i] = (one[i] + 1) % CFG.vocabSize();
        Pass moved = pass(model, withTextTargets(b, one));
        assertNotEquals(base.loss(), moved.loss(), "answer target at " + i);
        assertTrue(anyGradientDiffers(base, moved), "answer target at " + i + " moved no gradient");
        answers++;
      }
    }
    assertEquals(counted, answers);
  }
}
