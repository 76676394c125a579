package org.synergen.ingest.image;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;

/**
 * Reads a decoded image row by row as packed 0xRRGGBB, alpha matted onto white (as img2dataset
 * does before JPEG encoding). The common layouts are read straight from the raster: faster than
 * getRGB, and for grey images it keeps the stored values (getRGB would apply a gamma curve).
 */
final class RgbRows {
  private final BufferedImage img;
  private final int type;
  private final byte[] bytes;
  private final int[] ints;
  private final int w;

  RgbRows(BufferedImage img) {
    this.img = img;
    this.w = img.getWidth();
    int t = img.getType();
    boolean plain = img.getRaster().getParent() == null
        && img.getRaster().getSampleModelTranslateX() == 0
        && img.getRaster().getSampleModelTranslateY() == 0;
    if (plain && (t == BufferedImage.TYPE_3BYTE_BGR || t == BufferedImage.TYPE_BYTE_GRAY)) {
      this.type = t;
      this.bytes = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
      this.ints = null;
    } else if (plain && (t == BufferedImage.TYPE_INT_RGB || t == BufferedImage.TYPE_INT_ARGB)) {
      this.type = t;
      this.bytes = null;
      this.ints = ((DataBufferInt) img.getRaster().getDataBuffer()).getData();
    } else {
      this.type = BufferedImage.TYPE_CUSTOM;
      this.bytes = null;
      this.ints = null;
    }
  }

  int width() {
    return w;
  }

  /** The raster's interleaved B, G, R bytes (row-major, no padding), or null for other layouts. */
  byte[] bgr() {
    return type == BufferedImage.TYPE_3BYTE_BGR ? bytes : null;
  }

  /** Pixels x0 .. x0+n-1 of row y into out[0..n-1]. */
  void row(int y, int x0, int n, int[] out) {
    switch (type) {
      case BufferedImage.TYPE_3BYTE_BGR -> {
        int p = (y * w + x0) * 3;
        for (int i = 0; i < n; i++, p += 3) {
          out[i] = (bytes[p + 2] & 0xff) << 16 | (bytes[p + 1] & 0xff) << 8 | (bytes[p] & 0xff);
        }
      }
      case BufferedImage.TYPE_BYTE_GRAY -> {
        int p = y * w + x0;
        for (int i = 0; i < n; i++) {
          int g = bytes[p + i] & 0xff;
          out[i] = g << 16 | g << 8 | g;
        }
      }
      case BufferedImage.TYPE_INT_RGB -> System.arraycopy(ints, y * w + x0, out, 0, n);
      case BufferedImage.TYPE_INT_ARGB -> {
        System.arraycopy(ints, y * w + x0, out, 0, n);
        matte(out, n);
      }
      default -> {
        img.getRGB(x0, y, n, 1, out, 0, n);
        if (img.getColorModel().hasAlpha()) {
          matte(out, n);
        } else {
          for (int i = 0; i < n; i++) {
            out[i] &= 0xffffff;
          }
        }
      }
    }
  }

  private static void matte(int[] px, int n) {
    for (int i = 0; i < n; i++) {
      int a = px[i] >>> 24;
      if (a == 255) {
        px[i] &= 0xffffff;
        continue;
      }
      int r = (px[i] >> 16 & 0xff) * a + 255 * (255 - a);
      int g = (px[i] >> 8 & 0xff) * a + 255 * (255 - a);
      int b = (px[i] & 0xff) * a + 255 * (255 - a);
      px[i] = (r + 127) / 255 << 16 | (g + 127) / 255 << 8 | (b + 127) / 255;
    }
  }
}
