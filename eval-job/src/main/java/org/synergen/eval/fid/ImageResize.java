package org.synergen.eval.fid;

import org.synergen.vision.image.BicubicWeights;

/**
 * The resize to Inception's 299 x 299 input, in the two published forms. FID values depend on it
 * (clean-fid's paper measures the difference), so it is a named option. Images are float
 * [height][width][channel] arrays on the 0-255 scale.
 */
public enum ImageResize {
  /**
   * pytorch-fid: torch.nn.functional.interpolate(mode="bilinear", align_corners=False), no
   * anti-aliasing, so downscaling skips pixels.
   */
  BILINEAR,
  /**
   * clean-fid's "clean" mode: PIL's anti-aliased bicubic (a = -0.5, support widened by the scale
   * when shrinking) on each channel as a float image, then clipped to [0, 255].
   */
  BICUBIC;

  public float[][][] resize(float[][][] image, int outHeight, int outWidth) {
    return this == BILINEAR ? bilinear(image, outHeight, outWidth) : bicubic(image, outHeight, outWidth);
  }

  private static float[][][] bilinear(float[][][] in, int outH, int outW) {
    int inH = in.length;
    int inW = in[0].length;
    int channels = in[0][0].length;
    Taps rows = Taps.linear(inH, outH);
    Taps cols = Taps.linear(inW, outW);
    float[][][] out = new float[outH][outW][channels];
    for (int y = 0; y < outH; y++) {
      for (int x = 0; x < outW; x++) {
        for (int c = 0; c < channels; c++) {
          float top = cols.w0[x] * in[rows.i0[y]][cols.i0[x]][c] + cols.w1[x] * in[rows.i0[y]][cols.i1[x]][c];
          float bottom = cols.w0[x] * in[rows.i1[y]][cols.i0[x]][c] + cols.w1[x] * in[rows.i1[y]][cols.i1[x]][c];
          out[y][x][c] = rows.w0[y] * top + rows.w1[y] * bottom;
        }
      }
    }
    return out;
  }

  /** Two-tap linear interpolation indices and weights along one axis, as PyTorch computes them. */
  private record Taps(int[] i0, int[] i1, float[] w0, float[] w1) {
    static Taps linear(int in, int out) {
      float scale = (float) in / out;
      Taps t = new Taps(new int[out], new int[out], new float[out], new float[out]);
      for (int o = 0; o < out; o++) {
        float src = Math.max(scale * (o + 0.5f) - 0.5f, 0f);
        int i0 = (int) src;
        t.i0[o] = i0;
        t.i1[o] = i0 < in - 1 ? i0 + 1 : i0;
        t.w1[o] = src - i0;
        t.w0[o] = 1f - t.w1[o];
      }
      return t;
    }
  }

  private static float[][][] bicubic(float[][][] in, int outH, int outW) {
    int inH = in.length;
    int inW = in[0].length;
    int channels = in[0][0].length;
    // PIL resizes horizontally first, storing the intermediate as float32, then vertically.
    float[][][] wide = in;
    if (outW != inW) {
      BicubicWeights k = BicubicWeights.of(inW, outW);
      wide = new float[inH][outW][channels];
      for (int y = 0; y < inH; y++) {
        for (int x = 0; x < outW; x++) {
          for (int c = 0; c < channels; c++) {
            double s = 0;
            for (int j = 0; j < k.weights()[x].length; j++) {
              s += in[y][k.first()[x] + j][c] * k.weights()[x][j];
            }
            wide[y][x][c] = (float) s;
          }
        }
      }
    }
    float[][][] out = wide;
    if (outH != inH) {
      BicubicWeights k = BicubicWeights.of(inH, outH);
      out = new float[outH][outW][channels];
      for (int y = 0; y < outH; y++) {
        for (int x = 0; x < outW; x++) {
          for (int c = 0; c < channels; c++) {
            double s = 0;
            for (int j = 0; j < k.weights()[y].length; j++) {
              s += wide[k.first()[y] + j][x][c] * k.weights()[y][j];
            }
            out[y][x][c] = (float) s;
          }
        }
      }
    }
    float[][][] clipped = new float[outH][outW][channels];
    for (int y = 0; y < outH; y++) {
      for (int x = 0; x < outW; x++) {
        for (int c = 0; c < channels; c++) {
          clipped[y][x][c] = Math.min(Math.max(out[y][x][c], 0f), 255f);
        }
      }
    }
    return clipped;
  }
}
