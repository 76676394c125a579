package org.synergen.train.freeze;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.synergen.model.nn.Rows;
import org.synergen.train.distributed.TensorSet;

/**
 * A model's tensors cut into what the data-parallel trainer broadcasts once (frozen) and what
 * travels every round (trainable), with row-level trainability kept small: a tensor that trains in
 * a few rows only (stage 1: the image special tokens' rows of the vocab x d text embedding) travels
 * as those rows, the derived tensor {@code name@rows}, while the full table stays in the frozen
 * set with those rows zeroed (their values live in {@code name@rows} only, so a state restored
 * from a checkpoint holds the same frozen bits as a fresh one). {@link #merge} writes the rows
 * back; the other rows are never touched, so they stay bit-identical to the frozen table.
 */
public final class TrainableTensors {
  /** Suffix of a derived tensor holding only the trained rows of the tensor it names. */
  public static final String ROWS = "@rows";

  private TrainableTensors() {}

  /** Frozen: every tensor not trained whole (row-trained tables with those rows zeroed); trainable: {@link #trainable}. */
  public record Split(TensorSet frozen, TensorSet trainable) {}

  public static Split split(Map<String, INDArray> params, TrainableSet set) {
    TensorSet frozen = new TensorSet();
    params.forEach((name, t) -> {
      if (!set.trains(name)) {
        frozen.put(name, t.shape(), floats(t));
      } else if (set.rows(name) != null) {
        frozen.put(name, t.shape(), withoutRows(t, set.rows(name)));
      }
    });
    return new Split(frozen, trainable(params, set));
  }

  /** {@code t}'s values with {@code rows} zeroed: a row-trained table as the frozen set holds it. */
  public static float[] withoutRows(INDArray t, int[] rows) {
    float[] v = floats(t);
    int cols = (int) t.size(1);
    for (int r : rows) {
      java.util.Arrays.fill(v, r * cols, (r + 1) * cols, 0f);
    }
    return v;
  }

  /** The trained part of {@code params}: whole tensors by name, row-trained ones as {@code name@rows}. */
  public static TensorSet trainable(Map<String, INDArray> params, TrainableSet set) {
    TensorSet out = new TensorSet();
    params.forEach((name, t) -> {
      if (set.trains(name)) {
        int[] rows = set.rows(name);
        INDArray part = rows == null ? t : Rows.gather(t, rows);
        out.put(rows == null ? name : name + ROWS, part.shape(), floats(part));
      }
    });
    return out;
  }

  /**
   * Every tensor under its own name, as float32 arrays: the frozen ones (row-trained tables copied
   * with the trained rows written in), then the whole trainable ones, in {@code order}.
   */
  public static Map<String, INDArray> merge(TensorSet frozen, TensorSet trainable, TrainableSet set, List<String> order) {
    Map<String, INDArray> out = new LinkedHashMap<>();
    for (String name : order) {
      if (set.trains(name) && set.rows(name) == null) {
        out.put(name, array(trainable.tensor(name)));
        continue;
      }
      INDArray t = array(frozen.tensor(name));
      int[] rows = set.trains(name) ? set.rows(name) : null;
      if (rows != null) {
        INDArray part = array(trainable.tensor(name + ROWS));
        for (int i = 0; i < rows.length; i++) {
          t.putRow(rows[i], part.getRow(i));
        }
      }
      out.put(name, t);
    }
    return out;
  }

  /** As {@link #merge}, as a TensorSet (what a checkpoint's model file holds). */
  public static TensorSet mergeToSet(TensorSet frozen, TensorSet trainable, TrainableSet set, List<String> order) {
    TensorSet out = new TensorSet();
    merge(frozen, trainable, set, order).forEach((name, t) -> out.put(name, t.shape(), floats(t)));
    return out;
  }

  /** Names of {@code set} as they travel: {@code name} or {@code name@rows}. */
  public static List<String> shippedNames(TrainableSet set) {
    List<String> names = new ArrayList<>();
    for (String n : set.names()) {
      names.add(set.rows(n) == null ? n : n + ROWS);
    }
    return names;
  }

  /** A new float32 array holding {@code t}'s values (no shared memory). */
  public static INDArray array(TensorSet.Tensor t) {
    return Nd4j.create(t.data(), t.shape(), 'c');
  }

  /** Row-major float32 values of {@code t}, copied. */
  public static float[] floats(INDArray t) {
    INDArray c = t.dataType() == DataType.FLOAT && t.ordering() == 'c' && !t.isView() && t.data().length() == t.length()
        ? t : t.castTo(DataType.FLOAT).dup('c');
    return c.data().asFloat();
  }
}
