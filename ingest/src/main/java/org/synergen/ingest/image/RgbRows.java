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
  /** The raster layouts read directly; any other goes through getRGB. */
  private enum Layout { RGB, BGR, GREY, INT_RGB, INT_ARGB, OTHER }

  private final BufferedImage img;
  private final Layout layout;
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
    byte[] rgb = InterleavedRgb.bytesOf(img);
    if (rgb != null) {
      layout = Layout.RGB;
      bytes = rgb;
      ints = null;
    } else if (plain && (t == BufferedImage.TYPE_3BYTE_BGR || t == BufferedImage.TYPE_BYTE_GRAY)) {
      layout = t == BufferedImage.TYPE_3BYTE_BGR ? Layout.BGR : Layout.GREY;
      bytes = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
      ints = null;
    } else if (plain && (t == BufferedImage.TYPE_INT_RGB || t == BufferedImage.TYPE_INT_ARGB)) {
      layout = t == BufferedImage.TYPE_INT_RGB ? Layout.INT_RGB : Layout.INT_ARGB;
      bytes = null;
      ints = ((DataBufferInt) img.getRaster().getDataBuffer()).getData();
    } else {
      layout = Layout.OTHER;
      bytes = null;
      ints = null;
    }
  }

  int width() {
    return w;
  }

  /**
   * The raster's interleaved 3-byte pixels (row-major, no padding; see {@link #redFirst()}), or
   * null for the other layouts.
   */
  byte[] interleaved() {
    return layout == Layout.RGB || layout == Layout.BGR ? bytes : null;
  }

  /** Whether {@link #interleaved()} holds R, G, B (what our JPEG decode gives) rather than B, G, R. */
  boolean redFirst() {
    return layout == Layout.RGB;
  }

  /** Pixels x0 .. x0+n-1 of row y into out[0..n-1]. */
  void row(int y, int x0, int n, int[] out) {
    switch (layout) {
      case RGB, BGR -> {
        int r = layout == Layout.RGB ? 0 : 2;
        int b = 2 - r;
        int p = (y * w + x0) * 3;
        for (int i = 0; i < n; i++, p += 3) {
          out[i] = (bytes[p + r] & 0xff) << 16 | (bytes[p + 1] & 0xff) << 8 | (bytes[p + b] & 0xff);
        }
      }
      case GREY -> {
        int p = y * w + x0;
        for (int i = 0; i < n; i++) {
          int g = bytes[p + i] & 0xff;
          out[i] = g << 16 | g << 8 | g;
        }
      }
      case INT_RGB -> System.arraycopy(ints, y * w + x0, out, 0, n);
      case INT_ARGB -> {
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
