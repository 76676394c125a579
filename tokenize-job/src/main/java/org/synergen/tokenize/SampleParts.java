package org.synergen.tokenize;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import org.synergen.data.TokenShardRow;
import org.synergen.text.TokenSequence;
import org.synergen.vision.image.BicubicResampler;
import org.synergen.vision.tiling.DynamicTiling;
import org.synergen.vision.vq.ImageIds;
import org.synergen.vision.vq.RgbImage;

/**
 * What every sample builder of the job shares (captions: {@link SampleBuilder}, conversations:
 * {@link ConversationSampleBuilder}): the stage's tiling of an understanding image, the one square
 * grid of a generation image, the folded-token count of a tile, and the token-shard rows.
 */
final class SampleParts {
  private final DynamicTiling tiling;
  private final int genSize;
  private final int foldRows;
  private final int foldCols;
  private final String textIdentity;
  private final String vqIdentity;

  SampleParts(TokenizeSettings settings, String textIdentity, String vqIdentity) {
    this.tiling = new DynamicTiling(settings.tiling());
    this.genSize = settings.genSize();
    this.foldRows = settings.vision().foldRows();
    this.foldCols = settings.vision().foldCols();
    this.textIdentity = textIdentity;
    this.vqIdentity = vqIdentity;
  }

  /** An understanding image's tiles (raster order, then the thumbnail), ready to encode. */
  List<RgbImage> tiles(BufferedImage img) {
    List<RgbImage> tiles = new ArrayList<>();
    for (BufferedImage t : tiling.tile(img)) {
      tiles.add(ImageIds.rgb(t));
    }
    return tiles;
  }

  /** A generation image: the whole picture resized to the generation size squared, never tiled. */
  RgbImage generationImage(BufferedImage img) {
    return ImageIds.rgb(BicubicResampler.resize(img, genSize, genSize));
  }

  /** Placeholders of one tile: one folded token per m x n block of its id grid. */
  int foldedTokens(TokenShardRow.Tile t) {
    return t.rows() * t.cols() / (foldRows * foldCols);
  }

  /** Folded tokens of several tiles (one image). */
  int foldedTokens(List<TokenShardRow.Tile> tiles) {
    int n = 0;
    for (TokenShardRow.Tile t : tiles) {
      n += foldedTokens(t);
    }
    return n;
  }

  TokenShardRow success(String key, String task, TokenSequence seq, List<TokenShardRow.Tile> tiles) {
    return new TokenShardRow(key, task, TokenShardRow.SUCCESS, null, seq.ids(), seq.textLoss(),
        seq.imageLoss(), tiles, foldRows, foldCols, textIdentity, vqIdentity);
  }

  TokenShardRow failure(String key, String task, String status, String message) {
    return new TokenShardRow(key, task, status, message, new int[0], new boolean[0],
        task.equals(TokenShardRow.GENERATION), List.of(), foldRows, foldCols, textIdentity, vqIdentity);
  }
}
