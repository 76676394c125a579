package org.synergen.model.nn;

import java.util.HashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * How the rows of a [batch*seq, width] activation matrix form sequences: batch size, length, the
 * sample (segment) each position belongs to and its RoPE position. Shared by every layer of one
 * forward pass; masks and rotary tables are built once and cached here, outside any workspace.
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
  private final Map<Long, INDArray> causalMasks = new HashMap<>();
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

  /**
   * Additive attention mask [batch*heads, seq, seq]: 0 where allowed, {@link #MASKED} elsewhere.
   * Only {@link DenseAttention} needs it; it is quadratic in the sequence length.
   */
  INDArray mask(int heads, DataType dtype) {
    return masks.computeIfAbsent(heads, h -> {
      // cached masks outlive the workspace of the layer that first asks for them
      try (MemoryWorkspace none = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
        return blockMaskArray(0, seq, 0, h, dtype);
      }
    });
  }

  /** The first key any query of [qs, qe) may see: the start of the earliest sample among the rows. */
  int firstVisibleKey(int qs) {
    int lo = qs;
    for (int b = 0; b < batch; b++) {
      lo = Math.min(lo, qs - position[b * seq + qs]);
    }
    return lo;
  }

  /**
   * The additive mask [batch*heads, qe - qs, qe - lo] of queries [qs, qe) against keys [lo, qe),
   * or null when every key of the range is in the same sample as every query of its row, so only
   * the causal triangle on the block's diagonal ({@link #causalMask}) applies.
   */
  INDArray blockMask(int qs, int qe, int lo, int heads, DataType dtype) {
    for (int b = 0; b < batch; b++) {
      int s = segment[b * seq + qe - 1];
      for (int j = lo; j < qe; j++) {
        if (segment[b * seq + j] != s) {
          return blockMaskArray(qs, qe, lo, heads, dtype);
        }
      }
    }
    return null;
  }

  /** Causal additive mask [batch*heads, size, size] of a block's diagonal, cached per size. */
  INDArray causalMask(int size, int heads, DataType dtype) {
    long key = ((long) size << 32) | heads;
    return causalMasks.computeIfAbsent(key, x -> {
      float[] m = new float[size * size];
      for (int i = 0; i < size; i++) {
        for (int j = i + 1; j < size; j++) {
          m[i * size + j] = (float) MASKED;
        }
      }
      try (MemoryWorkspace none = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
        return Nd4j.createFromArray(m).reshape(1, size, size).castTo(dtype).repeat(0, (long) batch * heads)
            .reshape((long) batch * heads, size, size);
      }
    });
  }

  private INDArray blockMaskArray(int qs, int qe, int lo, int heads, DataType dtype) {
    int rows = qe - qs;
    int cols = qe - lo;
    float[] m = new float[batch * rows * cols];
    for (int b = 0; b < batch; b++) {
      for (int i = qs; i < qe; i++) {
        int si = segment[b * seq + i];
        int off = (b * rows + i - qs) * cols;
        for (int j = lo; j < qe; j++) {
          m[off + j - lo] = (j <= i && segment[b * seq + j] == si) ? 0f : (float) MASKED;
        }
      }
    }
    INDArray one = Nd4j.createFromArray(m).reshape(batch, 1, rows, cols).castTo(dtype);
    return one.repeat(1, heads).reshape((long) batch * heads, rows, cols);
  }

  /** cos / signed-sin tables for {@code heads} heads of width {@code headDim}. */
  Rope.Tables rope(int heads, int headDim, double theta, DataType dtype) {
    long key = ((long) heads << 40) ^ ((long) headDim << 20) ^ Double.hashCode(theta);
    return ropeTables.computeIfAbsent(key, k -> {
      try (MemoryWorkspace none = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
        return Rope.tables(position, heads, headDim, theta, dtype);
      }
    });
  }
}
