package org.synergen.model;

import java.util.Random;
import org.synergen.config.ModelConfig;
import org.synergen.model.vision.Folding;

/** Hand-laid batches mixing understanding and generation samples. */
final class TestBatches {
  private TestBatches() {}

  /**
   * Row 0 packs two samples: a generation sample (text, {@code <boi>}, two image blocks with image
   * loss, {@code <eoi>}) and an understanding sample (image block, text with text loss), then one
   * padding position. Row 1 is text only with a repeated token. Text and image ids repeat, so
   * embedding gradients accumulate over duplicates.
   */
  static Batch mixed(ModelConfig cfg, long seed) {
    ModelConfig.Vision v = cfg.vision();
    int f = v.foldSize();
    int b = 2;
    int t = 11;
    Random r = new Random(seed);
    int n = b * t;
    Batch batch = Batch.blank(b, t, f);

    // a 2-block-row image grid folded into blocks; the tests use its blocks in order
    int rows = v.foldRows() * 2;
    int cols = v.foldCols();
    int[] grid = new int[rows * cols];
    for (int i = 0; i < grid.length; i++) {
      grid[i] = r.nextInt(v.codebookSize());
    }
    grid[1] = grid[0];
    Folding.Folded folded = Folding.fold(grid, rows, cols, v.foldRows(), v.foldCols(), v.maxGridCols());

    for (int i = 0; i < n; i++) {
      batch.tokens()[i] = 6 + r.nextInt(cfg.vocabSize() - 6);
    }
    batch.tokens()[1] = batch.tokens()[0];
    // row 0, sample 0 (positions 0..5): text text <boi> img img <eoi>
    batch.tokens()[2] = v.boiId();
    batch.tokens()[5] = v.eoiId();
    for (int k = 0; k < 2; k++) {
      int pos = 3 + k;
      batch.image()[pos] = true;
      System.arraycopy(folded.ids(), k * f, batch.imageIds(), pos * f, f);
      System.arraycopy(folded.pos(), k * f, batch.imagePos(), pos * f, f);
      // position pos-1 predicts the block at pos
      batch.imageLoss()[pos - 1] = true;
      System.arraycopy(folded.ids(), k * f, batch.imageTarget(), (pos - 1) * f, f);
    }
    // row 0, sample 1 (positions 6..9): <boi> img <eoi> text, loss on text after the image
    batch.segment()[6] = batch.segment()[7] = batch.segment()[8] = batch.segment()[9] = 1;
    batch.tokens()[6] = v.boiId();
    batch.image()[7] = true;
    System.arraycopy(folded.ids(), f, batch.imageIds(), 7 * f, f);
    System.arraycopy(folded.pos(), f, batch.imagePos(), 7 * f, f);
    batch.tokens()[8] = v.eoiId();
    batch.textLoss()[8] = true;
    batch.textTarget()[8] = batch.tokens()[9];
    batch.textLoss()[9] = true;
    batch.textTarget()[9] = 7;
    // row 0, position 10: padding
    batch.segment()[10] = 2;
    // row 1: text only
    batch.tokens()[t + 3] = batch.tokens()[t + 1];
    for (int i = t; i < n - 1; i++) {
      batch.textLoss()[i] = true;
      batch.textTarget()[i] = batch.tokens()[i + 1];
    }
    return batch;
  }
}
