package org.synergen.train.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.synergen.config.ModelConfig;
import org.synergen.data.TokenShardRow;
import org.synergen.model.Batch;

/** Layout, packing and slicing of token-shard rows, against values worked out by hand. */
class PackingTest {
  // 1x2 folding over a position table 4 wide; <boi>=3 <eoi>=4 <UNCOND>=5
  private static final ModelConfig.Vision VISION = new ModelConfig.Vision(200, 4, 4, 4, 1, 2, 8, 1, 8, 2, 8, 3, 4, 5);
  private static final int P = TokenShardRow.IMAGE_PLACEHOLDER;
  private static final TokenShardRow.Tile TILE = new TokenShardRow.Tile(2, 2, new int[] {100, 101, 102, 103});

  private static TokenShardRow row(String key, String task, int[] ids, boolean[] loss, boolean imageLoss) {
    return new TokenShardRow(key, task, TokenShardRow.SUCCESS, null, ids, loss, imageLoss, List.of(TILE), 1, 2, "t", "v");
  }

  private static final TokenShardRow UND = row("a", "und", new int[] {10, P, P, 11, 12},
      new boolean[] {false, false, false, false, true}, false);
  private static final TokenShardRow GEN = row("b", "gen", new int[] {20, 21, P, P, 22},
      new boolean[] {false, true, false, false, true}, true);

  @Test
  void foldedImageTokensGoToThePlaceholdersAndTargetsAreShifted() {
    SampleLayout a = SampleLayout.of(UND, VISION);
    assertArrayEquals(new int[] {10, 0, 0, 11, 12}, a.tokens());
    assertArrayEquals(new boolean[] {false, true, true, false, false}, a.image());
    // block 0 = grid row 0 (cells 0,1 at positions 0,1), block 1 = grid row 1 (positions 4,5)
    assertArrayEquals(new int[] {0, 0, 100, 101, 102, 103, 0, 0, 0, 0}, a.imageIds());
    assertArrayEquals(new int[] {0, 0, 0, 1, 4, 5, 0, 0, 0, 0}, a.imagePos());
    // the answer token 12 at position 4 is predicted from position 3
    assertArrayEquals(new boolean[] {false, false, false, true, false}, a.textLoss());
    assertEquals(12, a.textTarget()[3]);
    assertArrayEquals(new boolean[5], a.imageLoss(), "understanding samples have no image loss");

    SampleLayout b = SampleLayout.of(GEN, VISION);
    assertArrayEquals(new boolean[] {true, false, false, true, false}, b.textLoss());
    assertEquals(21, b.textTarget()[0]);
    assertEquals(22, b.textTarget()[3]);
    // the position before each folded token predicts its block: 1 -> block 0, 2 -> block 1
    assertArrayEquals(new boolean[] {false, true, true, false, false}, b.imageLoss());
    assertArrayEquals(new int[] {0, 0, 100, 101, 102, 103, 0, 0, 0, 0}, b.imageTarget());
  }

  @Test
  void samplesShareARowInSeparateSegmentsAndPaddingHasItsOwn() {
    Batch batch = SequencePacker.batch(List.of(List.of(SampleLayout.of(UND, VISION), SampleLayout.of(GEN, VISION))), 12, 2);
    assertEquals(1, batch.batchSize());
    assertArrayEquals(new int[] {0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 2, 2}, batch.segment());
    assertArrayEquals(new int[] {10, 0, 0, 11, 12, 20, 21, 0, 0, 22, 0, 0}, batch.tokens());
    assertArrayEquals(new boolean[] {false, false, false, true, false, true, false, false, true, false, false, false},
        batch.textLoss());
    assertEquals(12, batch.textTarget()[3]);
    assertEquals(21, batch.textTarget()[5]);
    assertEquals(22, batch.textTarget()[8]);
    assertArrayEquals(new boolean[] {false, false, false, false, false, false, true, true, false, false, false, false},
        batch.imageLoss());
    assertArrayEquals(new int[] {100, 101}, java.util.Arrays.copyOfRange(batch.imageTarget(), 12, 14));
    assertArrayEquals(new int[] {102, 103}, java.util.Arrays.copyOfRange(batch.imageTarget(), 14, 16));
    assertArrayEquals(new int[] {4, 5}, java.util.Arrays.copyOfRange(batch.imagePos(), 16, 18), "position 8 = block 1");
  }

  @Test
  void greedyRowsSkipSamplesLongerThanARow() {
    List<int[]> rows = SequencePacker.rows(new int[] {3, 9, 2, 4, 8, 1}, 8);
    assertEquals(4, rows.size());
    assertArrayEquals(new int[] {0, 2}, rows.get(0)); // 3 + 2 (9 is skipped); 4 does not fit any more
    assertArrayEquals(new int[] {3}, rows.get(1)); // 4; 8 does not fit
    assertArrayEquals(new int[] {4}, rows.get(2)); // 8 fills a row
    assertArrayEquals(new int[] {5}, rows.get(3));
  }

  @Test
  void malformedRowsAreRejectedWithTheirKey() {
    TokenShardRow wrongCount = row("k1", "und", new int[] {10, P, 11}, new boolean[3], false);
    assertTrue(assertThrows(IllegalArgumentException.class, () -> SampleLayout.of(wrongCount, VISION)).getMessage()
        .contains("'k1' (und) has 1 image placeholders but its 1 tile(s) fold into 2 blocks"));
    TokenShardRow targetOnImage = row("k2", "und", new int[] {10, P, P}, new boolean[] {false, true, false}, false);
    assertTrue(assertThrows(IllegalArgumentException.class, () -> SampleLayout.of(targetOnImage, VISION)).getMessage()
        .contains("marks image position 1 as a text target"));
    TokenShardRow otherFold = new TokenShardRow("k3", "und", "success", null, new int[] {10, P, P}, new boolean[3], false,
        List.of(TILE), 2, 1, "t", "v");
    assertTrue(assertThrows(IllegalArgumentException.class, () -> SampleLayout.of(otherFold, VISION)).getMessage()
        .contains("tokenized for 2x1 folding but the model folds 1x2"));
  }

  private static List<TokenShardRow> manyRows(int perTask) {
    List<TokenShardRow> rows = new ArrayList<>();
    for (int i = 0; i < perTask; i++) {
      rows.add(row("u" + i, "und", new int[] {10 + i, P, P, 11}, new boolean[] {false, false, false, true}, false));
      rows.add(row("g" + i, "gen", new int[] {20 + i, 3, P, P}, new boolean[4], true));
    }
    rows.add(new TokenShardRow("bad", "und", "failed_to_decode", "broken jpeg", new int[0], new boolean[0], false,
        List.of(), 1, 2, "t", "v"));
    rows.add(row("long", "gen", new int[] {1, 2, 3, 4, 5, 6, 7, 8, 9, P, P}, new boolean[11], true));
    return rows;
  }

  /** The first text token of each sample identifies it (10+i for und, 20+i for gen). */
  private static List<Integer> sampleIds(Batch b) {
    List<Integer> ids = new ArrayList<>();
    for (int i = 0; i < b.tokens().length; i++) {
      boolean starts = (i % b.seqLen() == 0 || b.segment()[i] != b.segment()[i - 1]) && b.tokens()[i] >= 10;
      if (starts) {
        ids.add(b.tokens()[i]);
      }
    }
    return ids;
  }

  @Test
  void workersGetDisjointSlicesEachEpochCoversThemAndStepsArePure() {
    // 4 samples of 4 tokens per worker, 2 per row of 8, 1 row per batch: an epoch = 2 steps
    TokenShardSlices slices = new TokenShardSlices(new InMemorySamples(manyRows(8)), VISION, 8, 1);
    var summary = slices.summary(2);
    assertEquals(8, summary.get(0).samples());
    assertEquals(1, summary.get(0).failed());
    assertEquals(1, summary.get(1).tooLong());
    assertEquals(List.of("long"), summary.get(1).tooLongKeys());

    Set<Integer> seen = new HashSet<>();
    for (int p = 0; p < 2; p++) {
      Iterator<StepBatches> it = slices.batches(p, 2, 0, 2, 7);
      List<Integer> epoch = new ArrayList<>();
      for (int s = 0; s < 2; s++) {
        StepBatches step = it.next();
        assertEquals(1, step.understanding().batchSize());
        epoch.addAll(sampleIds(step.understanding()));
        assertEquals(4, step.samples(), "1 row x 2 samples per task");
        assertEquals(16, step.tokens());
      }
      assertEquals(4, epoch.size());
      assertEquals(4, new HashSet<>(epoch).size(), "each of the worker's samples once per epoch");
      for (int id : epoch) {
        assertEquals(p, (id - 10) % 2, "worker p takes every second row from p");
        assertTrue(seen.add(id));
      }
    }
    assertEquals(8, seen.size());

    // pure: step 3 alone equals step 3 of a longer call; a new seed reorders
    Batch direct = slices.batches(1, 2, 3, 1, 7).next().generation();
    Iterator<StepBatches> run = slices.batches(1, 2, 0, 4, 7);
    run.next();
    run.next();
    run.next();
    assertEquals(direct, run.next().generation());
    List<Integer> a = new ArrayList<>();
    List<Integer> b = new ArrayList<>();
    for (long s = 0; s < 4; s++) {
      a.addAll(sampleIds(slices.batches(0, 2, s, 1, 7).next().understanding()));
      b.addAll(sampleIds(slices.batches(0, 2, s, 1, 8).next().understanding()));
    }
    assertNotEquals(a, b, "the seed decides the order");
  }

  @Test
  void aWorkerWithoutSamplesIsAnError() {
    TokenShardSlices slices = new TokenShardSlices(new InMemorySamples(manyRows(1)), VISION, 8, 1);
    assertTrue(assertThrows(IllegalArgumentException.class, () -> slices.batches(1, 2, 0, 1, 7)).getMessage()
        .contains("worker 1 of 2 has no usable 'und' samples"));
  }
}
