package org.synergen.vision.tiling;

import com.typesafe.config.Config;

/**
 * Dynamic-resolution settings of one training stage (docs/model.md "Training stages": stage 1 one tile
 * without thumbnail, stage 2 up to 6 tiles + thumbnail, SFT up to 12 + thumbnail).
 *
 * @param tileSize  side S of a square tile in pixels
 * @param minTiles  fewest tiles a grid may have
 * @param maxTiles  most tiles a grid may have
 * @param thumbnail append the whole image resized to S x S when the grid has more than one tile
 */
public record TilingConfig(int tileSize, int minTiles, int maxTiles, boolean thumbnail) {

  public TilingConfig {
    if (tileSize <= 0 || minTiles < 1 || maxTiles < minTiles) {
      throw new IllegalArgumentException(String.format(
          "tiling needs tile-size > 0 and 1 <= min-tiles <= max-tiles, got tile-size=%d"
              + " min-tiles=%d max-tiles=%d", tileSize, minTiles, maxTiles));
    }
  }

  /** Reads a {@code tiling { tile-size, min-tiles, max-tiles, thumbnail }} block. */
  public static TilingConfig fromConfig(Config c) {
    return new TilingConfig(c.getInt("tile-size"),
        c.hasPath("min-tiles") ? c.getInt("min-tiles") : 1,
        c.getInt("max-tiles"), c.getBoolean("thumbnail"));
  }
}
