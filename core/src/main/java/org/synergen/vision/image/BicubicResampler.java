package org.synergen.vision.image;

import java.awt.image.BufferedImage;

/**
 * Pillow's {@code Image.resize(size, BICUBIC)} for 8-bit RGB, reproduced step for step so that
 * InternVL's tiles and Emu3's VQ inputs match their Python preprocessing: a convolution with the bicubic kernel (a = -0.5) widened by
 * the scale factor when shrinking (anti-aliasing), weights normalised and turned into 22-bit fixed
 * point, the horizontal pass first with its result rounded to 8 bits, then the vertical pass.
 * (java.awt's bicubic interpolation does not widen the kernel and aliases on downscaling.)
 */
public final class BicubicResampler {
  private static final int PRECISION_BITS = 32 - 8 - 2;
  private static final double SUPPORT = 2.0;

  private BicubicResampler() {}

  /** {@code image} resized to {@code width} x {@code height}, as an RGB image. */
  public static BufferedImage resize(BufferedImage image, int width, int height) {
    int w = image.getWidth();
    int h = image.getHeight();
    int[] rgb = resize(image.getRGB(0, 0, w, h, null, 0, w), w, h, width, height);
    BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    out.setRGB(0, 0, width, height, rgb, 0, width);
    return out;
  }

  /**
   * Row-major {@code 0xRRGGBB} pixels of a {@code w} x {@code h} image resized to {@code width} x
   * {@code height}; bits above the 24 colour bits are ignored on input and zero on output.
   */
  public static int[] resize(int[] rgb, int w, int h, int width, int height) {
    if (width < 1 || height < 1) {
      throw new IllegalArgumentException("cannot resize to " + width + "x" + height + " (width x height)");
    }
    if (rgb.length != w * h) {
      throw new IllegalArgumentException(w + "x" + h + " image needs " + w * h + " pixels, got " + rgb.length);
    }
    if (w != width) {
      rgb = horizontal(rgb, w, h, width);
      w = width;
    }
    if (h != height) {
      rgb = vertical(rgb, w, h, height);
    }
    return rgb;
  }

  /** Per output position: first input index, count, then the fixed-point weights. */
  private record Coefficients(int[] start, int[] count, int[][] weights) {}

  private static Coefficients coefficients(int inSize, int outSize) {
    double scale = (double) inSize / outSize;
    double filterScale = Math.max(scale, 1.0);
    double support = SUPPORT * filterScale;
    int[] start = new int[outSize];
    int[] count = new int[outSize];
    int[][] weights = new int[outSize][];
    for (int xx = 0; xx < outSize; xx++) {
      double center = (xx + 0.5) * scale;
      int xmin = Math.max((int) (center - support + 0.5), 0);
      int xmax = Math.min((int) (center + support + 0.5), inSize) - xmin;
      double[] k = new double[xmax];
      double sum = 0;
      for (int x = 0; x < xmax; x++) {
        k[x] = bicubic((x + xmin - center + 0.5) / filterScale);
        sum += k[x];
      }
      int[] fixed = new int[xmax];
      for (int x = 0; x < xmax; x++) {
        double v = sum != 0.0 ? k[x] / sum : k[x];
        fixed[x] = (int) (v < 0 ? -0.5 + v * (1 << PRECISION_BITS) : 0.5 + v * (1 << PRECISION_BITS));
      }
      start[xx] = xmin;
      count[xx] = xmax;
      weights[xx] = fixed;
    }
    return new Coefficients(start, count, weights);
  }

  private static double bicubic(double x) {
    final double a = -0.5;
    x = Math.abs(x);
    if (x < 1.0) {
      return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
    }
    if (x < 2.0) {
      return (((x - 5) * x + 8) * x - 4) * a;
    }
    return 0.0;
  }

  private static int[] horizontal(int[] in, int w, int h, int outW) {
    Coefficients c = coefficients(w, outW);
    int[] out = new int[outW * h];
    for (int y = 0; y < h; y++) {
      for (int xx = 0; xx < outW; xx++) {
        out[y * outW + xx] = convolve(in, y * w + c.start[xx], 1, c.count[xx], c.weights[xx]);
      }
    }
    return out;
  }

  private static int[] vertical(int[] in, int w, int h, int outH) {
    Coefficients c = coefficients(h, outH);
    int[] out = new int[w * outH];
    for (int yy = 0; yy < outH; yy++) {
      for (int x = 0; x < w; x++) {
        out[yy * w + x] = convolve(in, c.start[yy] * w + x, w, c.count[yy], c.weights[yy]);
      }
    }
    return out;
  }

  /** One output pixel from {@code n} input pixels {@code stride} apart, rounded to 8 bits per channel. */
  private static int convolve(int[] in, int first, int stride, int n, int[] k) {
    int r = 1 << (PRECISION_BITS - 1);
    int g = r;
    int b = r;
    for (int i = 0; i < n; i++) {
      int p = in[first + i * stride];
      r += ((p >> 16) & 0xFF) * k[i];
      g += ((p >> 8) & 0xFF) * k[i];
      b += (p & 0xFF) * k[i];
    }
    return (clip8(r) << 16) | (clip8(g) << 8) | clip8(b);
  }

  private static int clip8(int v) {
    int x = v >> PRECISION_BITS;
    return x < 0 ? 0 : Math.min(x, 255);
  }
}
