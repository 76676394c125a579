package org.synergen.vision.vq;

/**
 * Bicubic resizing that gives the same bytes as Pillow's {@code Image.resize(..., BICUBIC)} on an
 * 8-bit RGB image, which is what Emu3's image processor calls: a separable filter (a = -0.5) widened
 * by the scale when shrinking (antialiasing), fixed-point weights with 22 fractional bits, a
 * horizontal pass rounded to 8 bits, then a vertical pass.
 */
public final class BicubicResize {
  private static final int PRECISION_BITS = 32 - 8 - 2;
  private static final double SUPPORT = 2.0;

  private BicubicResize() {}

  public static RgbImage resize(RgbImage in, int outHeight, int outWidth) {
    if (outHeight < 1 || outWidth < 1) {
      throw new IllegalArgumentException("cannot resize to " + outHeight + "x" + outWidth);
    }
    RgbImage img = in;
    if (outWidth != img.width()) {
      img = pass(img, outWidth, true);
    }
    if (outHeight != img.height()) {
      img = pass(img, outHeight, false);
    }
    return img;
  }

  /** Taps of one output position: first input index and fixed-point weights. */
  private record Taps(int first, int[] weights) {}

  private static double cubic(double x) {
    double a = -0.5;
    x = Math.abs(x);
    if (x < 1.0) {
      return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
    }
    if (x < 2.0) {
      return (((x - 5) * x + 8) * x - 4) * a;
    }
    return 0.0;
  }

  private static Taps[] taps(int inSize, int outSize) {
    double scale = (double) inSize / outSize;
    double filterScale = Math.max(scale, 1.0);
    double support = SUPPORT * filterScale;
    Taps[] out = new Taps[outSize];
    for (int o = 0; o < outSize; o++) {
      double center = (o + 0.5) * scale;
      int lo = Math.max(0, (int) (center - support + 0.5));
      int hi = Math.min(inSize, (int) (center + support + 0.5));
      double[] w = new double[hi - lo];
      double total = 0;
      for (int i = 0; i < w.length; i++) {
        w[i] = cubic((i + lo - center + 0.5) / filterScale);
        total += w[i];
      }
      int[] fixed = new int[w.length];
      for (int i = 0; i < w.length; i++) {
        double v = total != 0 ? w[i] / total : w[i];
        // Round half away from zero, as Pillow does.
        fixed[i] = (int) (v < 0 ? -0.5 + v * (1 << PRECISION_BITS) : 0.5 + v * (1 << PRECISION_BITS));
      }
      out[o] = new Taps(lo, fixed);
    }
    return out;
  }

  private static RgbImage pass(RgbImage in, int outSize, boolean horizontal) {
    int h = horizontal ? in.height() : outSize;
    int w = horizontal ? outSize : in.width();
    Taps[] taps = taps(horizontal ? in.width() : in.height(), outSize);
    byte[] out = new byte[h * w * 3];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        Taps t = taps[horizontal ? x : y];
        for (int c = 0; c < 3; c++) {
          int sum = 1 << (PRECISION_BITS - 1);
          for (int i = 0; i < t.weights().length; i++) {
            int v = horizontal ? in.at(y, t.first() + i, c) : in.at(t.first() + i, x, c);
            sum += v * t.weights()[i];
          }
          out[(y * w + x) * 3 + c] = (byte) Math.max(0, Math.min(255, sum >> PRECISION_BITS));
        }
      }
    }
    return new RgbImage(h, w, out);
  }
}
