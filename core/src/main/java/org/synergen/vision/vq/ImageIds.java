package org.synergen.vision.vq;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.synergen.data.TokenShardRow;

/**
 * Square images -> VQ id grids, in batches of a fixed size. A short last batch is padded with
 * copies of its last image so that every call has the same shape and the VQ graph is built once
 * per image size (SameDiff caches one graph per input shape). Shared by tokenize-job (training
 * samples) and generation (the images of a question), so both see the same ids.
 */
public final class ImageIds {
  private final VisionVq vq;
  private final int batch;

  public ImageIds(VisionVq vq, int batch) {
    this.vq = vq;
    this.batch = batch;
  }

  public int spatialFactor() {
    return vq.config().spatialFactor();
  }

  /** The id grid of every image; all images must have one size, a multiple of the spatial factor. */
  public List<TokenShardRow.Tile> encode(List<RgbImage> images) {
    List<TokenShardRow.Tile> out = new ArrayList<>(images.size());
    if (images.isEmpty()) {
      return out;
    }
    int h = images.get(0).height();
    int w = images.get(0).width();
    for (int start = 0; start < images.size(); start += batch) {
      INDArray pixels = Nd4j.create(org.nd4j.linalg.api.buffer.DataType.FLOAT, batch, 3, h, w);
      int n = Math.min(batch, images.size() - start);
      for (int i = 0; i < batch; i++) {
        RgbImage img = images.get(start + Math.min(i, n - 1));
        if (img.height() != h || img.width() != w) {
          throw new IllegalArgumentException("one batch, one size: " + img.height() + "x" + img.width()
              + " after " + h + "x" + w);
        }
        pixels.get(NDArrayIndex.point(i)).assign(VqImages.toPixels(img));
      }
      INDArray ids = vq.encode(pixels);
      int rows = (int) ids.size(1);
      int cols = (int) ids.size(2);
      for (int i = 0; i < n; i++) {
        long[] grid = ids.get(NDArrayIndex.point(i)).dup('c').data().asLong();
        int[] g = new int[grid.length];
        for (int j = 0; j < g.length; j++) {
          g[j] = Math.toIntExact(grid[j]);
        }
        out.add(new TokenShardRow.Tile(rows, cols, g));
      }
    }
    return out;
  }

  public static RgbImage rgb(BufferedImage img) {
    int h = img.getHeight();
    int w = img.getWidth();
    int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
    byte[] data = new byte[h * w * 3];
    for (int i = 0; i < argb.length; i++) {
      data[3 * i] = (byte) (argb[i] >> 16);
      data[3 * i + 1] = (byte) (argb[i] >> 8);
      data[3 * i + 2] = (byte) argb[i];
    }
    return new RgbImage(h, w, data);
  }

  public static BufferedImage buffered(RgbImage img) {
    BufferedImage out = new BufferedImage(img.width(), img.height(), BufferedImage.TYPE_INT_RGB);
    int[] argb = new int[img.height() * img.width()];
    byte[] d = img.data();
    for (int i = 0; i < argb.length; i++) {
      argb[i] = (d[3 * i] & 0xFF) << 16 | (d[3 * i + 1] & 0xFF) << 8 | (d[3 * i + 2] & 0xFF);
    }
    out.setRGB(0, 0, img.width(), img.height(), argb, 0, img.width());
    return out;
  }
}
