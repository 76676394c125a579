package org.synergen.model.nn;

import java.util.HashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * How the rows of a [batch*seq, width] activation matrix form sequences: batch size, length, the
 * sample (segment) each position belongs to and its RoPE position. Shared by every layer of one
 * forward pass; masks and rotary tables are built once and cached here.
 *
 * <p>Packed rows: a row of the batch may hold several samples, each a maximal run of equal
 * segment ids. A position attends only to earlier positions of its own sample, and its RoPE
 * position restarts at 0 where its sample starts.
 */
public final class SequenceLayout {
  /** Additive mask value for a forbidden key: exp underflows to exactly 0. */
  static final double MASKED = -1e30;

  private final int batch;
  private final int seq;
  private final int[] segment;
  private final int[] position;
  private final Map<Integer, INDArray> masks = new HashMap<>();
  private final Map<Long, Rope.Tables> ropeTables = new HashMap<>();

  public SequenceLayout(int batch, int seq, int[] segment) {
    if (segment.length != batch * seq) {
      throw new IllegalArgumentException(
          "segment ids: expected " + batch * seq + " = " + batch + "x" + seq + ", got " + segment.length);
    }
    this.batch = batch;
    this.seq = seq;
    this.segment = segment;
    this.position = new int[segment.length];
    for (int b = 0; b < batch; b++) {
      for (int t = 0; t < seq; t++) {
        int i = b * seq + t;
        position[i] = (t > 0 && segment[i] == segment[i - 1]) ? position[i - 1] + 1 : 0;
      }
    }
  }

  /** {@code batch} independent causal sequences of length {@code seq}. */
  public static SequenceLayout causal(int batch, int seq) {
    int[] seg = new int[batch * seq];
    return new SequenceLayout(batch, seq, seg);
  }

  public int batch() {
    return batch;
  }

  public int seq() {
    return seq;
  }

  public int rows() {
    return batch * seq;
  }

  public int[] positions() {
    return position;
  }

  /** Additive attention mask [batch*heads, seq, seq]: 0 where allowed, {@link #MASKED} elsewhere. */
  INDArray mask(int heads, DataType dtype) {
    return masks.computeIfAbsent(heads, h -> {
      float[] m = new float[batch * seq * seq];
      for (int b = 0; b < batch; b++) {
        for (int i = 0; i < seq; i++) {
          int si = segment[b * seq + i];
          int off = (b * seq + i) * seq;
          for (int j = 0; j < seq; j++) {
            m[off + j] = (j <= i && segment[b * seq + j] == si) ? 0f : (float) MASKED;
          }
        }
      }
      INDArray one = Nd4j.createFromArray(m).reshape(batch, 1, seq, seq).castTo(dtype);
      return one.repeat(1, h).reshape((long) batch * h, seq, seq);
    });
  }

  /** cos / signed-sin tables for {@code heads} heads of width {@code headDim}. */
  Rope.Tables rope(int heads, int headDim, double theta, DataType dtype) {
    long key = ((long) heads << 40) ^ ((long) headDim << 20) ^ Double.hashCode(theta);
    return ropeTables.computeIfAbsent(key, k -> Rope.tables(position, heads, headDim, theta, dtype));
  }
}
