package org.synergen.ingest.dedup;

import java.util.Arrays;
import org.synergen.ingest.image.AreaResampler;

/**
 * 64-bit DCT perceptual hash (pHash, as in the imagehash library): grey levels, shrunk to 32 x 32,
 * 2-D DCT-II, the 8 x 8 lowest frequencies compared with their median. Re-encoding, mild
 * resizing and small colour shifts flip few bits; different pictures differ in about half.
 */
public final class PerceptualHash {
  private static final int N = 32;
  private static final int K = 8;
  /** cos(pi * (2x + 1) * u / 2N) for the first K frequencies u. */
  private static final double[][] COS = new double[K][N];

  static {
    for (int u = 0; u < K; u++) {
      for (int x = 0; x < N; x++) {
        COS[u][x] = Math.cos(Math.PI * (2 * x + 1) * u / (2.0 * N));
      }
    }
  }

  private PerceptualHash() {}

  /**
   * The hash of a w x h picture given as interleaved R, G, B bytes; bit 63 is the (0, 0)
   * coefficient, row-major after.
   */
  public static long of(byte[] rgb, int w, int h) {
    return ofGrey(w % N == 0 && h % N == 0 ? blockMeans(rgb, w, h) : areaMeans(rgb, w, h));
  }

  /**
   * ITU-R 601 luma x 1000 of pixel p (the weights of PIL's "L" conversion). Averages are linear,
   * so the 1000 is divided out of the 32 x 32 means instead of out of every pixel.
   */
  private static int luma1000(byte[] rgb, int p) {
    return 299 * (rgb[p] & 0xff) + 587 * (rgb[p + 1] & 0xff) + 114 * (rgb[p + 2] & 0xff);
  }

  /**
   * The 32 x 32 grey means of a picture whose sides are multiples of 32 (every square canvas of the
   * usual sizes): the area average of whole blocks, summed as integers in one pass over the
   * pixels. For 8 x 8 blocks (256-pixel canvases) it equals {@link #areaMeans} exactly, whose float
   * sums are exact there; areaMeans was 40% of the image threads' Java time in a 2000-image run.
   */
  static float[] blockMeans(byte[] rgb, int w, int h) {
    int bw = w / N;
    int bh = h / N;
    long[] sums = new long[N * N];
    for (int y = 0; y < h; y++) {
      addRow(rgb, 3 * y * w, bw, sums, y / bh * N);
    }
    float area = (float) bw * bh;
    float[] grey = new float[N * N];
    for (int i = 0; i < grey.length; i++) {
      grey[i] = sums[i] / area / 1000f;
    }
    return grey;
  }

  /**
   * Adds the 32 block sums of one pixel row (from byte p) to sums[at ..]. The red, green and blue
   * bytes of each block's run are summed apart and weighted once per run: the same integer as
   * weighting every pixel, in about half the time (78 against 145 us on a 256 x 256 canvas). A
   * method of its own because it runs once per row: the JIT's optimising tier then compiles it
   * after a few dozen pictures, where a loop over the whole picture ran unoptimised in a
   * 2000-picture run (the launcher's compile thresholds count calls, see bin/synergen).
   */
  private static void addRow(byte[] rgb, int p, int bw, long[] sums, int at) {
    for (int bx = 0; bx < N; bx++) {
      int r = 0;
      int g = 0;
      int b = 0;
      for (int end = p + 3 * bw; p < end; p += 3) {
        r += rgb[p] & 0xff;
        g += rgb[p + 1] & 0xff;
        b += rgb[p + 2] & 0xff;
      }
      sums[at + bx] += 299L * r + 587L * g + 114L * b;
    }
  }

  /** The 32 x 32 grey means of any picture: area resampling with fractional edge weights. */
  static float[] areaMeans(byte[] rgb, int w, int h) {
    float[] luma = new float[w * h];
    for (int i = 0; i < luma.length; i++) {
      luma[i] = luma1000(rgb, 3 * i);
    }
    float[] grey = AreaResampler.resample(luma, w, h, N, N);
    for (int i = 0; i < grey.length; i++) {
      grey[i] /= 1000f;
    }
    return grey;
  }

  /** The hash of a 32 x 32 grey plane (row-major). */
  static long ofGrey(float[] g) {
    double[][] tmp = new double[K][N]; // DCT along the rows' vertical axis first
    for (int u = 0; u < K; u++) {
      for (int x = 0; x < N; x++) {
        double s = 0;
        for (int y = 0; y < N; y++) {
          s += COS[u][y] * g[y * N + x];
        }
        tmp[u][x] = s;
      }
    }
    double[] low = new double[K * K];
    for (int u = 0; u < K; u++) {
      for (int v = 0; v < K; v++) {
        double s = 0;
        for (int x = 0; x < N; x++) {
          s += COS[v][x] * tmp[u][x];
        }
        low[u * K + v] = s;
      }
    }
    double[] sorted = low.clone();
    Arrays.sort(sorted);
    double median = (sorted[31] + sorted[32]) / 2;
    long bits = 0;
    for (int i = 0; i < 64; i++) {
      bits = bits << 1 | (low[i] > median ? 1 : 0);
    }
    return bits;
  }

  public static int distance(long a, long b) {
    return Long.bitCount(a ^ b);
  }
}
