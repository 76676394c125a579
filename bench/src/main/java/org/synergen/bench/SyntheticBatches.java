package org.synergen.bench;

import java.util.Random;
import org.synergen.config.ModelConfig;
import org.synergen.model.Batch;
import org.synergen.model.vision.Folding;

/**
 * Random but well-formed training batches for benchmarks and cross-checks: each row packs
 * {@code samplesPerRow} samples of the form {@code text <boi> image blocks <eoi> text}, with
 * loss on the next text token and, at {@code <boi>} and every image position but the last, on the
 * ids of the next folded block.
 */
public final class SyntheticBatches {
  private SyntheticBatches() {}

  /**
   * @param imageTokensPerSample folded image tokens in each sample (a grid of m x (n * blocks))
   */
  public static Batch mixed(ModelConfig cfg, int batchSize, int seqLen, int samplesPerRow, int imageTokensPerSample,
      long seed) {
    ModelConfig.Vision v = cfg.vision();
    int f = v.foldSize();
    int sampleLen = seqLen / samplesPerRow;
    if (imageTokensPerSample + 4 > sampleLen) {
      throw new IllegalArgumentException(imageTokensPerSample + " image tokens do not fit a sample of " + sampleLen);
    }
    int blockCols = Math.min(imageTokensPerSample, v.maxGridCols() / v.foldCols());
    if (imageTokensPerSample % blockCols != 0) {
      throw new IllegalArgumentException(imageTokensPerSample + " image tokens do not form a grid of "
          + blockCols + " blocks per row");
    }
    int gridRows = v.foldRows() * (imageTokensPerSample / blockCols);
    int gridCols = v.foldCols() * blockCols;
    Random rnd = new Random(seed);
    Batch batch = Batch.blank(batchSize, seqLen, f);
    int textVocab = Math.min(cfg.vocabSize(), v.boiId());
    for (int b = 0; b < batchSize; b++) {
      for (int s = 0; s < samplesPerRow; s++) {
        int start = b * seqLen + s * sampleLen;
        int end = s == samplesPerRow - 1 ? (b + 1) * seqLen : start + sampleLen;
        int boi = start + 1 + rnd.nextInt(sampleLen - imageTokensPerSample - 3);
        int[] grid = new int[gridRows * gridCols];
        for (int i = 0; i < grid.length; i++) {
          grid[i] = rnd.nextInt(v.codebookSize());
        }
        Folding.Folded folded = Folding.fold(grid, gridRows, gridCols, v.foldRows(), v.foldCols(), v.maxGridCols());
        for (int i = start; i < end; i++) {
          batch.segment()[i] = b * samplesPerRow + s;
          int block = i - boi - 1;
          if (block >= 0 && block < imageTokensPerSample) {
            batch.image()[i] = true;
            System.arraycopy(folded.ids(), block * f, batch.imageIds(), i * f, f);
            System.arraycopy(folded.pos(), block * f, batch.imagePos(), i * f, f);
          } else if (i == boi) {
            batch.tokens()[i] = v.boiId();
          } else if (i == boi + imageTokensPerSample + 1) {
            batch.tokens()[i] = v.eoiId();
          } else {
            batch.tokens()[i] = rnd.nextInt(textVocab);
          }
        }
        for (int i = start; i + 1 < end; i++) {
          if (batch.image()[i + 1]) {
            batch.imageLoss()[i] = true;
            System.arraycopy(batch.imageIds(), (i + 1) * f, batch.imageTarget(), i * f, f);
          } else if (!batch.image()[i]) {
            batch.textLoss()[i] = true;
            batch.textTarget()[i] = batch.tokens()[i + 1];
          }
        }
      }
    }
    return batch;
  }
}
