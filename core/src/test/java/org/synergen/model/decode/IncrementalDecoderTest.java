package org.synergen.model.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.synergen.config.ModelConfig;
import org.synergen.model.SynerGenModel;
import org.synergen.model.nn.KvCache;

/**
 * The cached path against the training forward: feeding a sequence through the KV cache (prefill,
 * then one slot per call) gives the hidden states and logits of the full causal forward over the
 * same sequence, for rows of different lengths mixing text and folded image tokens.
 */
class IncrementalDecoderTest {
  static final ModelConfig TINY =
      ModelConfig.fromConfig(ConfigFactory.parseFile(new File("../conf/model/tiny.conf")).getConfig("model"));

  /** A random sequence of {@code len} positions, about two in three of them folded image tokens after the first two. */
  static Prompt mixed(ModelConfig cfg, int len, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    int f = cfg.vision().foldSize();
    int[] tokens = new int[len];
    boolean[] image = new boolean[len];
    int[] ids = new int[len * f];
    int[] pos = new int[len * f];
    int table = cfg.vision().maxGridRows() * cfg.vision().maxGridCols();
    for (int i = 0; i < len; i++) {
      image[i] = i > 1 && rnd.nextInt(3) > 0;
      tokens[i] = image[i] ? 0 : rnd.nextInt(cfg.vocabSize());
      for (int s = 0; s < f; s++) {
        ids[i * f + s] = image[i] ? rnd.nextInt(cfg.vision().codebookSize()) : 0;
        pos[i * f + s] = image[i] ? rnd.nextInt(table) : 0;
      }
    }
    return new Prompt(tokens, image, ids, pos);
  }

  static Prompt slice(Prompt p, int from, int to, int f) {
    return new Prompt(java.util.Arrays.copyOfRange(p.tokens(), from, to),
        java.util.Arrays.copyOfRange(p.image(), from, to),
        java.util.Arrays.copyOfRange(p.imageIds(), from * f, to * f),
        java.util.Arrays.copyOfRange(p.imagePos(), from * f, to * f));
  }

  @Test
  void cachedDecodingEqualsTheFullForwardForPaddedMixedRows() {
    SynerGenModel model = SynerGenModel.create(TINY, 7);
    IncrementalDecoder dec = new IncrementalDecoder(model);
    int f = TINY.vision().foldSize();
    int[] promptLen = {5, 9, 2};
    int steps = 6;
    List<Prompt> full = new ArrayList<>();
    List<Prompt> prompts = new ArrayList<>();
    for (int r = 0; r < promptLen.length; r++) {
      full.add(mixed(TINY, promptLen[r] + steps, 100 + r));
      prompts.add(slice(full.get(r), 0, promptLen[r], f));
    }
    KvCache cache = dec.newCache(promptLen.length, 9 + steps);
    Feed prefill = Feed.leftPadded(prompts, f);
    INDArray h0 = dec.forward(cache, prefill);
    double worst = 0;
    for (int r = 0; r < promptLen.length; r++) {
      INDArray ref = dec.textLogits(dec.fullForward(full.get(r)));
      // prefill: the row's real slots are the last promptLen[r] of its n
      for (int t = 0; t < promptLen[r]; t++) {
        int slot = r * prefill.n() + prefill.n() - promptLen[r] + t;
        worst = Math.max(worst, maxDiff(dec.textLogits(h0.getRow(slot, true)), ref.getRow(t, true)));
      }
    }
    for (int s = 0; s < steps; s++) {
      List<Prompt> next = new ArrayList<>();
      for (int r = 0; r < promptLen.length; r++) {
        next.add(slice(full.get(r), promptLen[r] + s, promptLen[r] + s + 1, f));
      }
      INDArray h = dec.forward(cache, Feed.leftPadded(next, f));
      for (int r = 0; r < promptLen.length; r++) {
        INDArray ref = dec.textLogits(dec.fullForward(full.get(r)));
        worst = Math.max(worst, maxDiff(dec.textLogits(h.getRow(r, true)), ref.getRow(promptLen[r] + s, true)));
      }
    }
    assertTrue(worst < 1e-5, "max |cached - full| logit difference " + worst);
    for (int r = 0; r < promptLen.length; r++) {
      assertEquals(promptLen[r] + steps, cache.positionsSoFar(r), "real positions of row " + r);
    }
  }

  @Test
  void theRowsOfABatchDoNotSeeEachOther() {
    SynerGenModel model = SynerGenModel.create(TINY, 8);
    IncrementalDecoder dec = new IncrementalDecoder(model);
    int f = TINY.vision().foldSize();
    Prompt a = mixed(TINY, 7, 1);
    Prompt b = mixed(TINY, 4, 2);
    KvCache both = dec.newCache(2, 7);
    INDArray hb = dec.forward(both, Feed.leftPadded(List.of(a, b), f));
    KvCache alone = dec.newCache(1, 4);
    INDArray hAlone = dec.forward(alone, Feed.leftPadded(List.of(b), f));
    // row 1 is b left-padded by 3 slots: its last slot (index 7 + 6) against b fed alone
    double d = maxDiff(hb.getRow(13, true), hAlone.getRow(3, true));
    assertTrue(d < 1e-5, "row 1 changed by row 0: " + d);
    INDArray ka = both.keys(0, 1);
    INDArray kb = alone.keys(0, 0);
    assertEquals(4, ka.size(1));
    assertTrue(maxDiff(ka, kb) < 1e-5, "cached keys of row 1 differ from the same prompt fed alone");
  }

  static double maxDiff(INDArray a, INDArray b) {
    return a.sub(b.reshape(a.shape())).amaxNumber().doubleValue();
  }
}
