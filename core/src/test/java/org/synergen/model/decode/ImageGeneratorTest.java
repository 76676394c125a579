package org.synergen.model.decode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.synergen.config.ModelConfig;
import org.synergen.model.SynerGenModel;
import org.synergen.model.nn.KvCache;
import org.synergen.model.vision.Folding;

/** Image generation through the unfolding head, with and without classifier-free guidance. */
class ImageGeneratorTest {
  static final ModelConfig TINY = IncrementalDecoderTest.TINY;
  static final int ROWS = 4;
  static final int COLS = 8;
  static final int BOI = TINY.vision().boiId();

  final IncrementalDecoder decoder = new IncrementalDecoder(SynerGenModel.create(TINY, 11));
  final ImageGenerator gen = new ImageGenerator(decoder);
  final int f = TINY.vision().foldSize();
  final List<Prompt> cond = List.of(text(1, 2, 3, 4, 5, BOI), text(9, 8, BOI));
  final List<Prompt> uncond = List.of(text(7, TINY.vision().uncondId(), BOI), text(6, 6, 6, 6, TINY.vision().uncondId(), BOI));

  Prompt text(int... ids) {
    return Prompt.text(ids, f);
  }

  static List<Sampler> samplers(Sampling s, long... seeds) {
    List<Sampler> out = new ArrayList<>();
    for (long seed : seeds) {
      out.add(new Sampler(s, seed));
    }
    return out;
  }

  @Test
  void guidanceAtScaleOneSamplesWhatNoGuidanceSamples() {
    Guidance one = new Guidance(1.0, Guidance.EMU3.sampling());
    List<int[]> unguided = gen.generate(cond, null, ROWS, COLS, one, samplers(one.sampling(), 5, 6), null).grids();
    List<int[]> guided = gen.generate(cond, uncond, ROWS, COLS, one, samplers(one.sampling(), 5, 6), null).grids();
    for (int r = 0; r < cond.size(); r++) {
      assertArrayEquals(unguided.get(r), guided.get(r), "row " + r);
      assertEquals(ROWS * COLS, guided.get(r).length);
    }
    // and guidance at 3 does change the draws (the branches differ)
    List<int[]> g3 = gen.generate(cond, uncond, ROWS, COLS, Guidance.EMU3, samplers(one.sampling(), 5, 6), null).grids();
    assertFalse(Arrays.equals(g3.get(0), unguided.get(0)), "scale 3 drew the unguided ids");
  }

  @Test
  void sameSeedSameImageOtherSeedOtherImage() {
    int[] a = gen.generate(cond, uncond, ROWS, COLS, Guidance.EMU3, samplers(Guidance.EMU3.sampling(), 1, 2), null)
        .grids().get(0);
    int[] b = gen.generate(cond, uncond, ROWS, COLS, Guidance.EMU3, samplers(Guidance.EMU3.sampling(), 1, 2), null)
        .grids().get(0);
    int[] c = gen.generate(cond, uncond, ROWS, COLS, Guidance.EMU3, samplers(Guidance.EMU3.sampling(), 3, 2), null)
        .grids().get(0);
    assertArrayEquals(a, b);
    assertFalse(Arrays.equals(a, c));
  }

  @Test
  void aPromptDrawsTheSameImageAloneAndInABatch() {
    List<int[]> batch = gen.generate(cond, uncond, ROWS, COLS, Guidance.EMU3,
        samplers(Guidance.EMU3.sampling(), 1, 2), null).grids();
    List<int[]> alone = gen.generate(cond.subList(0, 1), uncond.subList(0, 1), ROWS, COLS, Guidance.EMU3,
        samplers(Guidance.EMU3.sampling(), 1), null).grids();
    assertArrayEquals(alone.get(0), batch.get(0));
  }

  @Test
  void guidedLogitsAreTheFormulaByHand() {
    // cond logits (0, ln 3) -> probabilities (1/4, 3/4); uncond (0, 0) -> (1/2, 1/2)
    double[] out = ClassifierFreeGuidance.apply(new double[] {0, Math.log(3)}, new double[] {0, 0}, 3.0);
    // g * (log p_c - log p_u) + log p_u
    assertEquals(3 * (Math.log(0.25) - Math.log(0.5)) + Math.log(0.5), out[0], 1e-12);
    assertEquals(3 * (Math.log(0.75) - Math.log(0.5)) + Math.log(0.5), out[1], 1e-12);
    // an offset on either input's logits changes nothing (both go through log_softmax)
    double[] shifted = ClassifierFreeGuidance.apply(new double[] {10, 10 + Math.log(3)}, new double[] {-4, -4}, 3.0);
    assertArrayEquals(out, shifted, 1e-12);
  }

  @Test
  void bothBranchesAreFedTheSampledIds() {
    ImageGenerator.Result res =
        gen.generate(cond, uncond, ROWS, COLS, Guidance.EMU3, samplers(Guidance.EMU3.sampling(), 4, 9), null);
    int blocks = ROWS * COLS / f;
    for (int r = 0; r < cond.size(); r++) {
      Folding.Folded folded = Folding.fold(res.grids().get(r), ROWS, COLS, TINY.vision().foldRows(),
          TINY.vision().foldCols(), TINY.vision().maxGridCols());
      // every block but the last went back into the LLM, in both branches
      for (int branch = 0; branch < 2; branch++) {
        Prompt prompt = (branch == 0 ? cond : uncond).get(r);
        Prompt teacher = withBlocks(prompt, folded, blocks - 1);
        KvCache fresh = decoder.newCache(1, teacher.length());
        decoder.forward(fresh, Feed.leftPadded(List.of(teacher), f));
        int row = branch * cond.size() + r;
        for (int layer = 0; layer < TINY.numLayers(); layer++) {
          double d = IncrementalDecoderTest.maxDiff(res.cache().keys(layer, row), fresh.keys(layer, 0));
          assertTrue(d < 1e-5, "branch " + branch + " row " + r + " layer " + layer + ": keys differ by " + d);
          d = IncrementalDecoderTest.maxDiff(res.cache().values(layer, row), fresh.values(layer, 0));
          assertTrue(d < 1e-5, "branch " + branch + " row " + r + " layer " + layer + ": values differ by " + d);
        }
      }
    }
  }

  /** The prompt followed by the first {@code k} folded blocks as image tokens. */
  private Prompt withBlocks(Prompt p, Folding.Folded folded, int k) {
    int len = p.length() + k;
    int[] tokens = Arrays.copyOf(p.tokens(), len);
    boolean[] image = Arrays.copyOf(p.image(), len);
    int[] ids = Arrays.copyOf(p.imageIds(), len * f);
    int[] pos = Arrays.copyOf(p.imagePos(), len * f);
    for (int i = 0; i < k; i++) {
      image[p.length() + i] = true;
      System.arraycopy(folded.ids(), i * f, ids, (p.length() + i) * f, f);
      System.arraycopy(folded.pos(), i * f, pos, (p.length() + i) * f, f);
    }
    return new Prompt(tokens, image, ids, pos);
  }
}
