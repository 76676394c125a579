package org.synergen.model.nn;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Rotary position embedding in the Hugging Face Qwen2 / LLaMA "rotate half" convention:
 * out = x * cos + rotate_half(x) * sin with rotate_half([x1, x2]) = [-x2, x1], where the
 * frequencies of the two halves are the same (cat(freqs, freqs)).
 *
 * <p>Written as out = x * cos + swap(x) * sinSigned with swap([x1, x2]) = [x2, x1] and
 * sinSigned = [-sin, sin]; swap is its own transpose, so the backward pass is
 * dx = dy * cos + swap(dy * sinSigned).
 */
public final class Rope {
  private Rope() {}

  /** Per-row tables, tiled over heads: both [rows, heads*headDim]. */
  record Tables(INDArray cos, INDArray sinSigned, int heads, int headDim) {}

  static Tables tables(int[] positions, int heads, int headDim, double theta, DataType dtype) {
    int half = headDim / 2;
    int width = heads * headDim;
    double[] invFreq = new double[half];
    for (int i = 0; i < half; i++) {
      invFreq[i] = 1.0 / Math.pow(theta, (2.0 * i) / headDim);
    }
    double[] cos = new double[positions.length * width];
    double[] sin = new double[positions.length * width];
    for (int r = 0; r < positions.length; r++) {
      for (int i = 0; i < half; i++) {
        double a = positions[r] * invFreq[i];
        double c = Math.cos(a);
        double s = Math.sin(a);
        for (int h = 0; h < heads; h++) {
          int base = r * width + h * headDim;
          cos[base + i] = c;
          cos[base + half + i] = c;
          sin[base + i] = -s;
          sin[base + half + i] = s;
        }
      }
    }
    return new Tables(
        Nd4j.createFromArray(cos).reshape(positions.length, width).castTo(dtype),
        Nd4j.createFromArray(sin).reshape(positions.length, width).castTo(dtype),
        heads,
        headDim);
  }

  static INDArray forward(INDArray x, Tables t) {
    return x.mul(t.cos()).addi(swap(x, t).muli(t.sinSigned()));
  }

  static INDArray backward(INDArray dy, Tables t) {
    return dy.mul(t.cos()).addi(swap(dy.mul(t.sinSigned()), t));
  }

  /** [x1, x2] -> [x2, x1] within every head. */
  private static INDArray swap(INDArray x, Tables t) {
    long rows = x.size(0);
    int hd = t.headDim();
    int half = hd / 2;
    INDArray x3 = x.reshape(rows, t.heads(), hd);
    INDArray out = Nd4j.createUninitialized(x.dataType(), rows, t.heads(), hd);
    out.get(all(), all(), interval(0, half)).assign(x3.get(all(), all(), interval(half, hd)));
    out.get(all(), all(), interval(half, hd)).assign(x3.get(all(), all(), interval(0, half)));
    return out.reshape(rows, (long) t.heads() * hd);
  }
}
