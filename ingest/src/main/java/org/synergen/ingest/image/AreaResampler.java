package org.synergen.ingest.image;

/**
 * Resampling by pixel-area averaging (OpenCV's INTER_AREA, img2dataset's default for
 * downscaling): each output pixel is the mean of the source area it covers, with fractional
 * weights at the edges. Used for enlarging too, where it blends the one or two source pixels under
 * each output pixel (img2dataset uses Lanczos there). Separable: rows first, then columns.
 */
public final class AreaResampler {
  private AreaResampler() {}

  /**
   * Resamples the region (x0, y0, cw, ch) of {@code src} to dw x dh. Source rows are resampled
   * horizontally when an output row first needs them and kept in a small ring (output rows need
   * source rows in rising order), so the working memory is a few rows, not the whole image.
   */
  static int[] resample(RgbRows src, int x0, int y0, int cw, int ch, int dw, int dh) {
    Taps xs = taps(cw, dw);
    Taps ys = taps(ch, dh);
    int stride = dw * 3;
    float[][] ring = new float[ys.width + 1][stride];
    int[] ringRow = new int[ring.length];
    java.util.Arrays.fill(ringRow, -1);
    byte[] bgr = src.bgr();
    int[] line = bgr == null ? new int[cw] : null;
    int[] out = new int[dw * dh];
    float[] acc = new float[stride];
    for (int y = 0; y < dh; y++) {
      java.util.Arrays.fill(acc, 0f);
      for (int k = 0; k < ys.count[y]; k++) {
        int sy = ys.first[y] + k;
        int slot = sy % ring.length;
        if (ringRow[slot] != sy) {
          if (bgr != null) {
            horizontal(bgr, ((y0 + sy) * src.width() + x0) * 3, xs, ring[slot]);
          } else {
            src.row(y0 + sy, x0, cw, line);
            horizontal(line, xs, ring[slot]);
          }
          ringRow[slot] = sy;
        }
        float[] row = ring[slot];
        float wt = ys.weights[y * ys.width + k];
        for (int i = 0; i < stride; i++) {
          acc[i] += wt * row[i];
        }
      }
      for (int x = 0, o = y * dw; x < dw; x++) {
        out[o + x] = clamp(acc[3 * x]) << 16 | clamp(acc[3 * x + 1]) << 8 | clamp(acc[3 * x + 2]);
      }
    }
    return out;
  }

  /** One source line of packed RGB -> interleaved r, g, b sums per output pixel. */
  private static void horizontal(int[] line, Taps xs, float[] row) {
    for (int x = 0, n = xs.first.length; x < n; x++) {
      float r = 0, g = 0, b = 0;
      for (int k = 0, p = xs.first[x], w = x * xs.width; k < xs.count[x]; k++, p++, w++) {
        int px = line[p];
        float wt = xs.weights[w];
        r += wt * (px >> 16 & 0xff);
        g += wt * (px >> 8 & 0xff);
        b += wt * (px & 0xff);
      }
      row[3 * x] = r;
      row[3 * x + 1] = g;
      row[3 * x + 2] = b;
    }
  }

  /** The same from interleaved B, G, R bytes starting at {@code start} (the usual JPEG decode). */
  private static void horizontal(byte[] bgr, int start, Taps xs, float[] row) {
    for (int x = 0, n = xs.first.length; x < n; x++) {
      float r = 0, g = 0, b = 0;
      int p = start + 3 * xs.first[x];
      for (int k = 0, w = x * xs.width; k < xs.count[x]; k++, p += 3, w++) {
        float wt = xs.weights[w];
        b += wt * (bgr[p] & 0xff);
        g += wt * (bgr[p + 1] & 0xff);
        r += wt * (bgr[p + 2] & 0xff);
      }
      row[3 * x] = r;
      row[3 * x + 1] = g;
      row[3 * x + 2] = b;
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
