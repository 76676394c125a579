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
    int[] tokens = new int[n];
    boolean[] image = new boolean[n];
    int[] segment = new int[n];
    int[] imageIds = new int[n * f];
    int[] imagePos = new int[n * f];
    int[] textTarget = new int[n];
    boolean[] textLoss = new boolean[n];
    int[] imageTarget = new int[n * f];
    boolean[] imageLoss = new boolean[n];

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
      tokens[i] = 6 + r.nextInt(cfg.vocabSize() - 6);
    }
    tokens[1] = tokens[0];
    // row 0, sample 0 (positions 0..5): text text <boi> img img <eoi>
    tokens[2] = v.boiId();
    tokens[5] = v.eoiId();
    for (int k = 0; k < 2; k++) {
      int pos = 3 + k;
      image[pos] = true;
      System.arraycopy(folded.ids(), k * f, imageIds, pos * f, f);
      System.arraycopy(folded.pos(), k * f, imagePos, pos * f, f);
      // position pos-1 predicts the block at pos
      imageLoss[pos - 1] = true;
      System.arraycopy(folded.ids(), k * f, imageTarget, (pos - 1) * f, f);
    }
    // row 0, sample 1 (positions 6..9): <boi> img <eoi> text, loss on text after the image
    segment[6] = segment[7] = segment[8] = segment[9] = 1;
    tokens[6] = v.boiId();
    image[7] = true;
    System.arraycopy(folded.ids(), f, imageIds, 7 * f, f);
    System.arraycopy(folded.pos(), f, imagePos, 7 * f, f);
    tokens[8] = v.eoiId();
    textLoss[8] = true;
    textTarget[8] = tokens[9];
    textLoss[9] = true;
    textTarget[9] = 7;
    // row 0, position 10: padding
    segment[10] = 2;
    // row 1: text only
    tokens[t + 3] = tokens[t + 1];
    for (int i = t; i < n - 1; i++) {
      textLoss[i] = true;
      textTarget[i] = tokens[i + 1];
    }
    return new Batch(b, t, f, tokens, image, segment, imageIds, imagePos, textTarget, textLoss, imageTarget,
        imageLoss);
  }
}
