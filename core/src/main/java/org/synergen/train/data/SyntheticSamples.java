package org.synergen.train.data;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.synergen.config.ModelConfig;
import org.synergen.data.TokenShardRow;

/**
 * Made-up token-shard rows with a learnable structure, for tests and smoke runs where no tokenized
 * images are at hand: each sample belongs to one of a few classes; its tile's VQ ids are a noisy
 * class pattern and its caption is the class's word. Understanding rows ask for the caption after
 * the image, generation rows for the image after the caption. Nothing here is real data.
 */
public final class SyntheticSamples {
  private static final String[] WORDS = {"cat", "dog", "sun", "tree", "boat", "car", "fish", "bird"};

  private SyntheticSamples() {}

  /**
   * @param perTask rows per task
   * @param tileRows VQ grid rows of the single tile (a multiple of the fold rows)
   * @param tileCols VQ grid columns (a multiple of the fold columns)
   */
  public static List<TokenShardRow> rows(ModelConfig cfg, int perTask, int tileRows, int tileCols, long seed) {
    ModelConfig.Vision v = cfg.vision();
    int blocks = (tileRows / v.foldRows()) * (tileCols / v.foldCols());
    SplittableRandom rng = new SplittableRandom(seed);
    List<TokenShardRow> out = new ArrayList<>();
    for (String task : new String[] {TokenShardRow.UNDERSTANDING, TokenShardRow.GENERATION}) {
      for (int i = 0; i < perTask; i++) {
        int cls = rng.nextInt(WORDS.length);
        int[] grid = new int[tileRows * tileCols];
        for (int k = 0; k < grid.length; k++) {
          // a class pattern with 10% noise
          grid[k] = rng.nextInt(10) == 0 ? rng.nextInt(v.codebookSize()) : (cls * 37 + k * 5) % v.codebookSize();
        }
        int[] word = text(cfg, WORDS[cls]);
        boolean und = task.equals(TokenShardRow.UNDERSTANDING);
        int len = 2 + blocks + word.length;
        int[] ids = new int[len];
        boolean[] loss = new boolean[len];
        int at = 0;
        if (!und) {
          for (int w : word) {
            ids[at++] = w;
          }
        }
        ids[at++] = v.boiId();
        for (int b = 0; b < blocks; b++) {
          ids[at++] = TokenShardRow.IMAGE_PLACEHOLDER;
        }
        ids[at] = v.eoiId();
        loss[at++] = !und;
        if (und) {
          for (int w : word) {
            loss[at] = true;
            ids[at++] = w;
          }
        }
        out.add(new TokenShardRow(task + "-" + i, task, TokenShardRow.SUCCESS, null, ids, loss, !und,
            List.of(new TokenShardRow.Tile(tileRows, tileCols, grid)), v.foldRows(), v.foldCols(), "synthetic", "synthetic"));
      }
    }
    return out;
  }

  /** Byte values of the word, folded into the vocabulary and kept off the image special tokens. */
  private static int[] text(ModelConfig cfg, String word) {
    ModelConfig.Vision v = cfg.vision();
    int[] ids = new int[word.length()];
    for (int i = 0; i < ids.length; i++) {
      int id = word.charAt(i) % cfg.vocabSize();
      while (id == v.boiId() || id == v.eoiId() || id == v.uncondId()) {
        id = (id + 1) % cfg.vocabSize();
      }
      ids[i] = id;
    }
    return ids;
  }
}
