package org.synergen.train.data;

import java.util.List;
import org.synergen.config.ModelConfig;
import org.synergen.data.TokenShardRow;
import org.synergen.model.vision.Folding;

/**
 * One token-shard sample laid out position by position, as it sits in a packed row (docs/model.md
 * "Sequences"): text ids, folded image tokens at the placeholders, shifted text targets, and image
 * targets at the position before each folded token. Arrays follow {@link org.synergen.model.Batch}'s
 * conventions for a single sample of {@link #length} positions.
 */
public record SampleLayout(
    String key,
    int length,
    int foldSize,
    int[] tokens,
    boolean[] image,
    int[] imageIds,
    int[] imagePos,
    int[] textTarget,
    boolean[] textLoss,
    int[] imageTarget,
    boolean[] imageLoss) {

  /**
   * Lays out a successful row. Every tile is folded ({@link Folding#fold}) and its blocks fill the
   * placeholders in order; a row whose placeholders and blocks disagree, whose folding differs from
   * the model's, or that asks for a text target on a placeholder is rejected with its key.
   */
  public static SampleLayout of(TokenShardRow row, ModelConfig.Vision vision) {
    String where = "token-shard row '" + row.key() + "' (" + row.task() + ")";
    if (!TokenShardRow.SUCCESS.equals(row.status())) {
      throw new IllegalArgumentException(where + " has status " + row.status() + " and no ids");
    }
    requireFolding(row, vision);
    int m = vision.foldRows();
    int n = vision.foldCols();
    int[] ids = row.inputIds();
    int len = ids.length;
    if (row.textLoss().length != len) {
      throw new IllegalArgumentException(where + ": " + row.textLoss().length + " loss flags for " + len + " ids");
    }
    int f = vision.foldSize();
    int[] blockIds = new int[0];
    int[] blockPos = new int[0];
    int blocks = 0;
    List<TokenShardRow.Tile> tiles = row.tiles() == null ? List.of() : row.tiles();
    for (TokenShardRow.Tile t : tiles) {
      Folding.Folded folded = Folding.fold(t.ids(), t.rows(), t.cols(), m, n, vision.maxGridCols());
      blockIds = concat(blockIds, folded.ids());
      blockPos = concat(blockPos, folded.pos());
      blocks += folded.blocks();
    }
    int placeholders = 0;
    for (int id : ids) {
      placeholders += id == TokenShardRow.IMAGE_PLACEHOLDER ? 1 : 0;
    }
    if (placeholders != blocks) {
      throw new IllegalArgumentException(where + " has " + placeholders + " image placeholders but its "
          + tiles.size() + " tile(s) fold into " + blocks + " blocks");
    }

    int[] tokens = new int[len];
    boolean[] image = new boolean[len];
    int[] imageIds = new int[len * f];
    int[] imagePos = new int[len * f];
    int[] textTarget = new int[len];
    boolean[] textLoss = new boolean[len];
    int[] imageTarget = new int[len * f];
    boolean[] imageLoss = new boolean[len];
    int block = 0;
    for (int i = 0; i < len; i++) {
      if (ids[i] == TokenShardRow.IMAGE_PLACEHOLDER) {
        image[i] = true;
        System.arraycopy(blockIds, block * f, imageIds, i * f, f);
        System.arraycopy(blockPos, block * f, imagePos, i * f, f);
        if (row.imageLoss()) {
          if (i == 0) {
            throw new IllegalArgumentException(where + " starts with an image token: nothing precedes it to predict it");
          }
          // the hidden state one position earlier predicts this block through the unfolding head
          imageLoss[i - 1] = true;
          System.arraycopy(blockIds, block * f, imageTarget, (i - 1) * f, f);
        }
        block++;
      } else {
        tokens[i] = ids[i];
      }
      if (row.textLoss()[i]) {
        if (image[i]) {
          throw new IllegalArgumentException(where + " marks image position " + i + " as a text target");
        }
        if (i == 0) {
          throw new IllegalArgumentException(where + " marks position 0 as a text target: nothing precedes it");
        }
        textTarget[i - 1] = ids[i];
        textLoss[i - 1] = true;
      }
    }
    return new SampleLayout(row.key(), len, f, tokens, image, imageIds, imagePos, textTarget, textLoss, imageTarget,
        imageLoss);
  }

  /** The one check that a row was tokenized with the model's folding (model.vision.fold-rows/-cols). */
  public static void requireFolding(TokenShardRow row, ModelConfig.Vision vision) {
    if (row.foldRows() != vision.foldRows() || row.foldCols() != vision.foldCols()) {
      throw new IllegalArgumentException("token-shard row '" + row.key() + "' (" + row.task() + ") was tokenized for "
          + row.foldRows() + "x" + row.foldCols() + " folding but the model folds " + vision.foldRows() + "x"
          + vision.foldCols() + " (model.vision.fold-rows/-cols): re-run tokenize with the model's config");
    }
  }

  private static int[] concat(int[] a, int[] b) {
    int[] c = new int[a.length + b.length];
    System.arraycopy(a, 0, c, 0, a.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }
}
