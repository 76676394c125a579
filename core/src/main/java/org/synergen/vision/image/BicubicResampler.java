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

  /** Per output position: first input index, then the weights in 22-bit fixed point. */
  private record Coefficients(int[] start, int[][] weights) {}

  private static Coefficients coefficients(int inSize, int outSize) {
    BicubicWeights w = BicubicWeights.of(inSize, outSize);
    int[][] fixed = new int[outSize][];
    for (int o = 0; o < outSize; o++) {
      double[] k = w.weights()[o];
      fixed[o] = new int[k.length];
      for (int x = 0; x < k.length; x++) {
        // Round half away from zero, as Pillow does.
        fixed[o][x] = (int) (k[x] < 0 ? -0.5 + k[x] * (1 << PRECISION_BITS) : 0.5 + k[x] * (1 << PRECISION_BITS));
      }
    }
    return new Coefficients(w.first(), fixed);
  }

  private static int[] horizontal(int[] in, int w, int h, int outW) {
    Coefficients c = coefficients(w, outW);
    int[] out = new int[outW * h];
    for (int y = 0; y < h; y++) {
      for (int xx = 0; xx < outW; xx++) {
        out[y * outW + xx] = convolve(in, y * w + c.start[xx], 1, c.weights[xx].length, c.weights[xx]);
      }
    }
    return out;
  }

  private static int[] vertical(int[] in, int w, int h, int outH) {
    Coefficients c = coefficients(h, outH);
    int[] out = new int[w * outH];
    for (int yy = 0; yy < outH; yy++) {
      for (int x = 0; x < w; x++) {
        out[yy * w + x] = convolve(in, c.start[yy] * w + x, w, c.weights[yy].length, c.weights[yy]);
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
