package org.synergen.vision.image;

/**
 * Pillow's {@code precompute_coeffs} for its bicubic filter along one axis: for each output
 * position, the first input index and the normalised weights of the inputs from there on. The
 * kernel is Keys' cubic (a = -0.5) with support 2, widened by the scale factor when shrinking
 * (anti-aliasing). {@link BicubicResampler} turns them into Pillow's 8-bit fixed point; clean-fid's
 * float resize uses them as they are.
 */
public record BicubicWeights(int[] first, double[][] weights) {
  private static final double SUPPORT = 2.0;

  public static BicubicWeights of(int inSize, int outSize) {
    double scale = (double) inSize / outSize;
    double filterScale = Math.max(scale, 1.0);
    double support = SUPPORT * filterScale;
    int[] first = new int[outSize];
    double[][] weights = new double[outSize][];
    for (int o = 0; o < outSize; o++) {
      double center = (o + 0.5) * scale;
      int xmin = Math.max((int) (center - support + 0.5), 0);
      int count = Math.min((int) (center + support + 0.5), inSize) - xmin;
      double[] w = new double[count];
      double total = 0;
      for (int j = 0; j < count; j++) {
        w[j] = cubic((j + xmin - center + 0.5) / filterScale);
        total += w[j];
      }
      if (total != 0.0) {
        for (int j = 0; j < count; j++) {
          w[j] /= total;
        }
      }
      first[o] = xmin;
      weights[o] = w;
    }
    return new BicubicWeights(first, weights);
  }

  /** Keys' cubic convolution kernel with a = -0.5, as Pillow's bicubic_filter. */
  private static double cubic(double x) {
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
}
