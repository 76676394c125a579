package org.synergen.train.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.synergen.config.ModelConfig;
import org.synergen.data.TokenShardRow;
import org.synergen.model.Batch;
import org.synergen.train.distributed.Slice;
import org.synergen.train.distributed.SliceCursor;

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

  /** Worker p's first {@code steps} steps, one call per step, each continuing at the previous call's cursor. */
  private static List<StepBatches> stepByStep(TokenShardSlices slices, int p, int steps, long seed) {
    List<StepBatches> out = new ArrayList<>();
    SliceCursor cursor = SliceCursor.START;
    for (int s = 0; s < steps; s++) {
      Slice<StepBatches> one = slices.batches(p, 2, s, 1, seed, cursor);
      out.add(one.next());
      cursor = one.cursor();
    }
    return out;
  }

  @Test
  void workersGetDisjointSlicesEachEpochCoversThemAndCursorsContinueExactly() {
    // in memory every row is a split: 8 samples of 4 tokens per task, 2 per row of 8, 1 row per
    // batch; shuffle blocks of 3 samples
    TokenShardSlices slices = new TokenShardSlices(new InMemorySamples(manyRows(8)), VISION, 8, 1, 3);
    var summary = slices.summary(2, 7);
    assertEquals(8, summary.get(0).samples());
    assertEquals(1, summary.get(0).failed());
    assertEquals(1, summary.get(1).tooLong());
    assertEquals(List.of("long"), summary.get(1).tooLongKeys());

    // the batches of an epoch, per worker: the cursor after a batch is still in the batch's epoch
    List<List<Integer>> byEpoch = List.of(new ArrayList<>(), new ArrayList<>());
    for (int p = 0; p < 2; p++) {
      SliceCursor cursor = SliceCursor.START;
      for (int step = 0; ; step++) {
        Slice<StepBatches> one = slices.batches(p, 2, step, 1, 7, cursor);
        StepBatches batch = one.next();
        cursor = one.cursor();
        if (cursor.of("und").epoch() == 2) {
          break;
        }
        assertEquals(1, batch.understanding().batchSize());
        byEpoch.get((int) cursor.of("und").epoch()).addAll(sampleIds(batch.understanding()));
      }
    }
    for (List<Integer> epoch : byEpoch) {
      // splits are dealt anew each epoch: together the two workers take every sample exactly once
      assertEquals(8, epoch.size(), epoch.toString());
      assertEquals(Set.of(10, 11, 12, 13, 14, 15, 16, 17), new HashSet<>(epoch));
    }
    assertNotEquals(byEpoch.get(0), byEpoch.get(1), "each epoch is shuffled anew");

    // a run cut into one-step calls, each from the previous call's cursor, sees the same batches
    List<StepBatches> whole = new ArrayList<>();
    slices.batches(1, 2, 0, 5, 7, SliceCursor.START).forEachRemaining(whole::add);
    List<StepBatches> pieces = stepByStep(slices, 1, 5, 7);
    for (int s = 0; s < 5; s++) {
      assertEquals(whole.get(s).understanding(), pieces.get(s).understanding(), "step " + s);
      assertEquals(whole.get(s).generation(), pieces.get(s).generation(), "step " + s);
    }
    List<Integer> a = new ArrayList<>();
    List<Integer> b = new ArrayList<>();
    for (StepBatches s : stepByStep(slices, 0, 4, 7)) {
      a.addAll(sampleIds(s.understanding()));
    }
    for (StepBatches s : stepByStep(slices, 0, 4, 8)) {
      b.addAll(sampleIds(s.understanding()));
    }
    assertNotEquals(a, b, "the seed decides the order");
  }

  @Test
  void aWorkerWithoutSamplesIsAnError() {
    // 3 rows: worker 1 of 2 gets one split, which holds no understanding sample in some epoch
    TokenShardSlices slices = new TokenShardSlices(new InMemorySamples(manyRows(1)), VISION, 8, 1);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> {
      for (int p = 0; p < 2; p++) {
        slices.batches(p, 2, 0, 4, 7, SliceCursor.START).forEachRemaining(b -> {});
      }
    });
    assertTrue(e.getMessage().contains("has no usable"), e.getMessage());
  }
}
