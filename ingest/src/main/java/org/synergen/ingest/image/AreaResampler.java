package org.synergen.ingest.image;

/**
 * Resampling by pixel-area averaging (OpenCV's INTER_AREA, img2dataset's default for
 * downscaling): each output pixel is the mean of the source area it covers, with fractional
 * weights at the edges. Used for enlarging too, where it blends the one or two source pixels under
 * each output pixel (img2dataset uses Lanczos there). Separable: rows first (so only an {@code srcHeight x dstWidth} buffer is
 * held, however large the source), then columns.
 */
public final class AreaResampler {
  private AreaResampler() {}

  /**
   * Resamples the region (x0, y0, cw, ch) of {@code src} to dw x dh.
   */
  static int[] resample(RgbRows src, int x0, int y0, int cw, int ch, int dw, int dh) {
    Span[] xs = spans(cw, dw);
    Span[] ys = spans(ch, dh);
    float[] rows = new float[ch * dw * 3];
    int[] line = new int[cw];
    for (int y = 0; y < ch; y++) {
      src.row(y0 + y, x0, cw, line);
      int o = y * dw * 3;
      for (int x = 0; x < dw; x++) {
        Span s = xs[x];
        float r = 0, g = 0, b = 0;
        for (int k = 0; k < s.weights.length; k++) {
          int p = line[s.first + k];
          float wt = s.weights[k];
          r += wt * (p >> 16 & 0xff);
          g += wt * (p >> 8 & 0xff);
          b += wt * (p & 0xff);
        }
        rows[o + 3 * x] = r;
        rows[o + 3 * x + 1] = g;
        rows[o + 3 * x + 2] = b;
      }
    }
    int[] out = new int[dw * dh];
    float[] acc = new float[dw * 3];
    for (int y = 0; y < dh; y++) {
      java.util.Arrays.fill(acc, 0f);
      Span s = ys[y];
      for (int k = 0; k < s.weights.length; k++) {
        int o = (s.first + k) * dw * 3;
        float wt = s.weights[k];
        for (int i = 0; i < acc.length; i++) {
          acc[i] += wt * rows[o + i];
        }
      }
      for (int x = 0; x < dw; x++) {
        out[y * dw + x] = clamp(acc[3 * x]) << 16 | clamp(acc[3 * x + 1]) << 8 | clamp(acc[3 * x + 2]);
      }
    }
    return out;
  }

  /** Resamples one grey plane of sw x sh to dw x dh (for the perceptual hash). */
  public static float[] resample(float[] src, int sw, int sh, int dw, int dh) {
    Span[] xs = spans(sw, dw);
    Span[] ys = spans(sh, dh);
    float[] rows = new float[sh * dw];
    for (int y = 0; y < sh; y++) {
      for (int x = 0; x < dw; x++) {
        Span s = xs[x];
        float v = 0;
        for (int k = 0; k < s.weights.length; k++) {
          v += s.weights[k] * src[y * sw + s.first + k];
        }
        rows[y * dw + x] = v;
      }
    }
    float[] out = new float[dw * dh];
    for (int y = 0; y < dh; y++) {
      Span s = ys[y];
      for (int k = 0; k < s.weights.length; k++) {
        for (int x = 0; x < dw; x++) {
          out[y * dw + x] += s.weights[k] * rows[(s.first + k) * dw + x];
        }
      }
    }
    return out;
  }

  private static int clamp(float v) {
    int i = Math.round(v);
    return i < 0 ? 0 : Math.min(255, i);
  }

  /** The source pixels under output pixel i and their normalised coverage. */
  private record Span(int first, float[] weights) {}

  private static Span[] spans(int n, int m) {
    double scale = (double) n / m;
    Span[] spans = new Span[m];
    for (int i = 0; i < m; i++) {
      double lo = i * scale;
      double hi = Math.min(n, (i + 1) * scale);
      int first = (int) Math.floor(lo);
      int last = Math.min(n - 1, (int) Math.ceil(hi) - 1);
      float[] w = new float[last - first + 1];
      for (int j = first; j <= last; j++) {
        w[j - first] = (float) ((Math.min(hi, j + 1) - Math.max(lo, j)) / scale);
      }
      spans[i] = new Span(first, w);
    }
    return spans;
  }
}
