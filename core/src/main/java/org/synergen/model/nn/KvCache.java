package org.synergen.model.nn;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The keys and values of every position fed so far, per layer, for {@code batch} independent
 * sequences that advance together one slot per position (decoding with a KV cache).
 *
 * <p>Prompts of different lengths are left-padded: a padding slot is never attended to and does
 * not count as a position, so each row's RoPE positions are 0, 1, ... over its real tokens only.
 * Keys are stored after RoPE, at their absolute positions.
 */
public final class KvCache {
  private final int batch;
  private final int kvHeads;
  private final int headDim;
  private final int capacity;
  private final INDArray[] keys;
  private final INDArray[] values;
  private final boolean[] pad;
  private final int[] nextPosition;
  private int length;

  public KvCache(int layers, int batch, int kvHeads, int headDim, int capacity, DataType dtype) {
    this.batch = batch;
    this.kvHeads = kvHeads;
    this.headDim = headDim;
    this.capacity = capacity;
    this.keys = new INDArray[layers];
    this.values = new INDArray[layers];
    try (MemoryWorkspace outside = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
      for (int i = 0; i < layers; i++) {
        keys[i] = Nd4j.zeros(dtype, (long) batch * kvHeads, capacity, headDim);
        values[i] = Nd4j.zeros(dtype, (long) batch * kvHeads, capacity, headDim);
      }
    }
    this.pad = new boolean[batch * capacity];
    this.nextPosition = new int[batch];
  }

  public int batch() {
    return batch;
  }

  /** Slots filled so far (padding included), the same for every row. */
  public int length() {
    return length;
  }

  public int capacity() {
    return capacity;
  }

  /**
   * The RoPE positions of {@code n} new slots per row ({@code pad} [batch*n] marks padding, which
   * gets position 0), without advancing: real tokens continue each row's count.
   */
  public int[] positions(int n, boolean[] newPad) {
    int[] pos = new int[batch * n];
    for (int b = 0; b < batch; b++) {
      int p = nextPosition[b];
      for (int t = 0; t < n; t++) {
        pos[b * n + t] = newPad[b * n + t] ? 0 : p++;
      }
    }
    return pos;
  }

  /** Records {@code n} new slots per row as filled (call after every layer wrote them). */
  public void advance(int n, boolean[] newPad) {
    if (length + n > capacity) {
      throw new IllegalStateException("KV cache full: " + length + " + " + n + " slots > capacity " + capacity);
    }
    for (int b = 0; b < batch; b++) {
      for (int t = 0; t < n; t++) {
        pad[b * capacity + length + t] = newPad[b * n + t];
        nextPosition[b] += newPad[b * n + t] ? 0 : 1;
      }
    }
    length += n;
  }

  /** Number of real (non-padding) positions of {@code row} so far. */
  public int positionsSoFar(int row) {
    return nextPosition[row];
  }

  /** The keys of one row at one layer, padding left out: a copy [kvHeads, positions, headDim]. */
  public INDArray keys(int layer, int row) {
    return rowSlice(keys[layer], row);
  }

  /** As {@link #keys} for the values. */
  public INDArray values(int layer, int row) {
    return rowSlice(values[layer], row);
  }

  private INDArray rowSlice(INDArray store, int row) {
    int real = nextPosition[row];
    INDArray out = Nd4j.create(store.dataType(), kvHeads, real, headDim);
    INDArray rows = store.get(interval((long) row * kvHeads, (long) (row + 1) * kvHeads), all(), all());
    int k = 0;
    for (int s = 0; s < length; s++) {
      if (!pad[row * capacity + s]) {
        out.get(all(), interval(k, k + 1), all()).assign(rows.get(all(), interval(s, s + 1), all()));
        k++;
      }
    }
    return out;
  }

  /** Writes {@code n} new slots [batch*kvHeads, n, headDim] of a layer after the filled ones. */
  void write(int layer, INDArray newKeys, INDArray newValues, int n) {
    if (length + n > capacity) {
      throw new IllegalStateException("KV cache full: " + length + " + " + n + " slots > capacity " + capacity);
    }
    keys[layer].get(all(), interval(length, length + n), all()).assign(newKeys);
    values[layer].get(all(), interval(length, length + n), all()).assign(newValues);
  }

  /** Keys / values of slots [0, length + n) of a layer (the new ones already written), contiguous. */
  INDArray keysUpTo(int layer, int n) {
    return keys[layer].get(all(), interval(0, length + n), all()).dup('c');
  }

  INDArray valuesUpTo(int layer, int n) {
    return values[layer].get(all(), interval(0, length + n), all()).dup('c');
  }

  /**
   * Additive mask [batch*kvHeads, group*n, length+n] for n new query slots per row, each key
   * head's {@code group} query heads stacked: a query sees the real slots up to its own.
   */
  public INDArray mask(int n, boolean[] newPad, int group, DataType dtype) {
    int keysTotal = length + n;
    float[] m = new float[batch * kvHeads * group * n * keysTotal];
    int i = 0;
    for (int b = 0; b < batch; b++) {
      for (int h = 0; h < kvHeads; h++) {
        for (int g = 0; g < group; g++) {
          for (int t = 0; t < n; t++) {
            int self = length + t;
            for (int s = 0; s < keysTotal; s++) {
              boolean padded = s < length ? pad[b * capacity + s] : newPad[b * n + (s - length)];
              m[i++] = (s <= self && !padded) ? 0f : (float) SequenceLayout.MASKED;
            }
          }
        }
      }
    }
    return Nd4j.createFromArray(m).reshape((long) batch * kvHeads, (long) group * n, keysTotal).castTo(dtype);
  }
}
