package org.synergen.vision.tiling;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import org.synergen.vision.image.BicubicResampler;

/**
 * InternVL-1.5's dynamic resolution (docs/model.md "Sequences"), matching its dynamic_preprocess:
 * among the grids (cols, rows) with min <= cols*rows <= max tiles, pick the one whose aspect ratio
 * cols/rows is closest to the image's width/height; on an exact tie the later candidate wins when
 * the image's area exceeds half the candidate's pixel area (S*S*cols*rows). Candidates are visited
 * in InternVL's order ({@link CandidateGrids}). The image is resized (PIL bicubic) to
 * (S*cols, S*rows) and cut into S x S tiles in raster order; with thumbnails on and more than one
 * tile, the whole image resized to S x S is appended.
 */
public final class DynamicTiling {
  private final TilingConfig config;
  private final List<TileGrid> candidates;

  public DynamicTiling(TilingConfig config) {
    this.config = config;
    this.candidates = CandidateGrids.of(config.minTiles(), config.maxTiles());
  }

  public TilingConfig config() {
    return config;
  }

  /** The grid an image of {@code width} x {@code height} pixels is cut into. */
  public TileGrid chooseGrid(int width, int height) {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height);
    }
    double aspect = (double) width / height;
    double area = (double) width * height;
    double s = config.tileSize();
    double bestDiff = Double.POSITIVE_INFINITY;
    TileGrid best = new TileGrid(1, 1); // InternVL's initial value, kept even if (1,1) is no candidate
    for (TileGrid g : candidates) {
      double diff = Math.abs(aspect - (double) g.cols() / g.rows());
      if (diff < bestDiff) {
        bestDiff = diff;
        best = g;
      } else if (diff == bestDiff && area > 0.5 * s * s * g.cols() * g.rows()) {
        best = g;
      }
    }
    return best;
  }

  /** The tiles of {@code image} in raster order, then the thumbnail if any. */
  public List<BufferedImage> tile(BufferedImage image) {
    TileGrid grid = chooseGrid(image.getWidth(), image.getHeight());
    int s = config.tileSize();
    BufferedImage resized = BicubicResampler.resize(image, s * grid.cols(), s * grid.rows());
    List<BufferedImage> tiles = new ArrayList<>(grid.tiles() + 1);
    for (int i = 0; i < grid.tiles(); i++) {
      int x = (i % grid.cols()) * s;
      int y = (i / grid.cols()) * s;
      tiles.add(copy(resized.getSubimage(x, y, s, s)));
    }
    if (config.thumbnail() && tiles.size() != 1) {
      tiles.add(BicubicResampler.resize(image, s, s));
    }
    return tiles;
  }

  private static BufferedImage copy(BufferedImage view) {
    BufferedImage out = new BufferedImage(view.getWidth(), view.getHeight(), BufferedImage.TYPE_INT_RGB);
    out.getGraphics().drawImage(view, 0, 0, null);
    return out;
  }
}
