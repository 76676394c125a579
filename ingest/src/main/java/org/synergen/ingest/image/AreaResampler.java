package org.synergen.ingest.image;

/**
 * Resampling by pixel-area averaging (OpenCV's INTER_AREA, img2dataset's default for
 * downscaling): each output pixel is the mean of the source area it covers, with fractional
 * weights at the edges. Used for enlarging too, where it blends the one or two source pixels under
 * each output pixel (img2dataset uses Lanczos there). Separable: columns first, then rows.
 */
public final class AreaResampler {
  private AreaResampler() {}

  /**
   * Resamples the region (x0, y0, cw, ch) of {@code src} to dw x dh. Columns first: each output
   * row mixes its source rows into one row of source width, then that single row is averaged
   * across; the per-pixel gather then runs once per output row instead of once per source row, and
   * the working memory is one row. The result is written as interleaved R, G, B bytes into
   * {@code out}: row y from byte {@code at + y * stride}. (Interleaved colour pictures are resized
   * by OpenCV instead.)
   */
  static void resample(RgbRows src, int x0, int y0, int cw, int ch, int dw, int dh, byte[] out,
      int at, int stride) {
    Taps xs = taps(cw, dw);
    Taps ys = taps(ch, dh);
    int[] line = new int[cw];
    float[] mixed = new float[cw * 3]; // B, G, R per source pixel of the crop
    for (int y = 0; y < dh; y++) {
      java.util.Arrays.fill(mixed, 0f);
      for (int k = 0; k < ys.count[y]; k++) {
        src.row(y0 + ys.first[y] + k, x0, cw, line);
        addRow(line, ys.weights[y * ys.width + k], mixed);
      }
      across(mixed, xs, out, at + y * stride);
    }
  }

  /** mixed += wt * the packed 0xRRGGBB pixels of one row, as B, G, R. */
  private static void addRow(int[] line, float wt, float[] mixed) {
    for (int i = 0, j = 0; i < line.length; i++, j += 3) {
      int px = line[i];
      mixed[j] += wt * (px & 0xff);
      mixed[j + 1] += wt * (px >> 8 & 0xff);
      mixed[j + 2] += wt * (px >> 16 & 0xff);
    }
  }

  /** One mixed row -> dw pixels as R, G, B bytes from out[o]. */
  private static void across(float[] mixed, Taps xs, byte[] out, int o) {
    for (int x = 0, n = xs.first.length; x < n; x++) {
      float b = 0, g = 0, r = 0;
      int p = 3 * xs.first[x];
      for (int k = 0, w = x * xs.width; k < xs.count[x]; k++, p += 3, w++) {
        float wt = xs.weights[w];
        b += wt * mixed[p];
        g += wt * mixed[p + 1];
        r += wt * mixed[p + 2];
      }
      int q = o + 3 * x;
      out[q] = (byte) clamp(r);
      out[q + 1] = (byte) clamp(g);
      out[q + 2] = (byte) clamp(b);
    }
  }

  /** Resamples one grey plane of sw x sh to dw x dh (for the perceptual hash). */
  public static float[] resample(float[] src, int sw, int sh, int dw, int dh) {
    Taps xs = taps(sw, dw);
    Taps ys = taps(sh, dh);
    float[] rows = new float[sh * dw];
    for (int y = 0; y < sh; y++) {
      for (int x = 0; x < dw; x++) {
        float v = 0;
        for (int k = 0; k < xs.count[x]; k++) {
          v += xs.weights[x * xs.width + k] * src[y * sw + xs.first[x] + k];
        }
        rows[y * dw + x] = v;
      }
    }
    float[] out = new float[dw * dh];
    for (int y = 0; y < dh; y++) {
      for (int k = 0; k < ys.count[y]; k++) {
        float wt = ys.weights[y * ys.width + k];
        for (int x = 0; x < dw; x++) {
          out[y * dw + x] += wt * rows[(ys.first[y] + k) * dw + x];
        }
      }
    }
    return out;
  }

  /** Rounds half up like Math.round: every sum here is a weighted mean of bytes, never negative. */
  private static int clamp(float v) {
    return Math.min(255, (int) (v + 0.5f));
  }

  /**
   * For each output pixel i, the source pixels first[i] .. first[i] + count[i] - 1 under it and
   * their normalised coverage weights[i * width + k]; flat arrays keep the inner loops simple.
   */
  private record Taps(int[] first, int[] count, float[] weights, int width) {}

  private static Taps taps(int n, int m) {
    double scale = (double) n / m;
    int width = (int) Math.ceil(scale) + 1;
    int[] first = new int[m];
    int[] count = new int[m];
    float[] weights = new float[m * width];
    for (int i = 0; i < m; i++) {
      double lo = i * scale;
      double hi = Math.min(n, (i + 1) * scale);
      first[i] = (int) Math.floor(lo);
      int last = Math.min(n - 1, (int) Math.ceil(hi) - 1);
      count[i] = last - first[i] + 1;
      for (int j = first[i]; j <= last; j++) {
        weights[i * width + j - first[i]] = (float) ((Math.min(hi, j + 1) - Math.max(lo, j)) / scale);
      }
    }
    return new Taps(first, count, weights, width);
  }
}
