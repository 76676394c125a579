package org.synergen.train.distributed;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Named tensors as plain {@code float[]} with their shapes, in a fixed order.
 *
 * <p>This is what crosses the wire between the driver and Spark tasks. It holds no ND4J arrays on
 * purpose: an INDArray sent through Kryo arrives corrupt (docs/architecture.md, "Engine choices"), plain arrays serialise
 * exactly with Java or Kryo serialization.
 */
public final class TensorSet implements Serializable {
  private static final long serialVersionUID = 1L;

  /** One named tensor: row-major values and their shape. */
  public record Tensor(long[] shape, float[] data) implements Serializable {
    public Tensor {
      long n = 1;
      for (long d : shape) {
        n *= d;
      }
      if (n != data.length) {
        throw new IllegalArgumentException(
            "shape " + Arrays.toString(shape) + " holds " + n + " values, data has " + data.length);
      }
    }

    Tensor copy() {
      return new Tensor(shape.clone(), data.clone());
    }
  }

  private final LinkedHashMap<String, Tensor> tensors = new LinkedHashMap<>();

  public TensorSet put(String name, long[] shape, float[] data) {
    tensors.put(name, new Tensor(shape, data));
    return this;
  }

  public TensorSet put(String name, Tensor tensor) {
    tensors.put(name, tensor);
    return this;
  }

  public boolean contains(String name) {
    return tensors.containsKey(name);
  }

  public Tensor tensor(String name) {
    Tensor t = tensors.get(name);
    if (t == null) {
      throw new IllegalArgumentException("no tensor named '" + name + "' (have " + tensors.keySet() + ")");
    }
    return t;
  }

  /** The values of {@code name}, not a copy. */
  public float[] get(String name) {
    return tensor(name).data();
  }

  public long[] shape(String name) {
    return tensor(name).shape();
  }

  public List<String> names() {
    return Collections.unmodifiableList(new ArrayList<>(tensors.keySet()));
  }

  public Map<String, Tensor> asMap() {
    return Collections.unmodifiableMap(tensors);
  }

  public int size() {
    return tensors.size();
  }

  public boolean isEmpty() {
    return tensors.isEmpty();
  }

  public long numElements() {
    long n = 0;
    for (Tensor t : tensors.values()) {
      n += t.data().length;
    }
    return n;
  }

  /** A deep copy: the copy's arrays may be changed without touching this set. */
  public TensorSet copy() {
    TensorSet c = new TensorSet();
    tensors.forEach((k, t) -> c.tensors.put(k, t.copy()));
    return c;
  }

  /** The tensors named in {@code names}, in that order, sharing this set's arrays. */
  public TensorSet select(List<String> names) {
    TensorSet s = new TensorSet();
    for (String n : names) {
      s.tensors.put(n, tensor(n));
    }
    return s;
  }

  /** The tensors whose names are not in {@code names}, sharing this set's arrays. */
  public TensorSet without(List<String> names) {
    TensorSet s = new TensorSet();
    tensors.forEach((k, t) -> {
      if (!names.contains(k)) {
        s.tensors.put(k, t);
      }
    });
    return s;
  }

  /** Every tensor renamed {@code prefix + name}, sharing this set's arrays. */
  public TensorSet prefixed(String prefix) {
    TensorSet s = new TensorSet();
    tensors.forEach((k, t) -> s.tensors.put(prefix + k, t));
    return s;
  }

  /** The tensors whose names start with {@code prefix}, with the prefix removed. */
  public TensorSet underPrefix(String prefix) {
    TensorSet s = new TensorSet();
    tensors.forEach((k, t) -> {
      if (k.startsWith(prefix)) {
        s.tensors.put(k.substring(prefix.length()), t);
      }
    });
    return s;
  }

  /** This set followed by {@code other}'s tensors; names must not collide. */
  public TensorSet plus(TensorSet other) {
    TensorSet s = new TensorSet();
    s.tensors.putAll(tensors);
    other.tensors.forEach((k, t) -> {
      if (s.tensors.putIfAbsent(k, t) != null) {
        throw new IllegalArgumentException("tensor '" + k + "' is in both sets");
      }
    });
    return s;
  }

  /** Same names, shapes and bit patterns (NaN payloads included). */
  public boolean bitEquals(TensorSet other) {
    if (!tensors.keySet().equals(other.tensors.keySet())) {
      return false;
    }
    for (var e : tensors.entrySet()) {
      Tensor a = e.getValue();
      Tensor b = other.tensors.get(e.getKey());
      if (!Arrays.equals(a.shape(), b.shape()) || a.data().length != b.data().length) {
        return false;
      }
      for (int i = 0; i < a.data().length; i++) {
        if (Float.floatToRawIntBits(a.data()[i]) != Float.floatToRawIntBits(b.data()[i])) {
          return false;
        }
      }
    }
    return true;
  }

  /** Throws unless {@code other} has exactly this set's names and shapes. */
  public void requireSameLayout(TensorSet other, String what) {
    if (!tensors.keySet().equals(other.tensors.keySet())) {
      throw new IllegalArgumentException(what + ": tensor names differ: " + tensors.keySet() + " vs " + other.tensors.keySet());
    }
    tensors.forEach((k, t) -> {
      if (!Arrays.equals(t.shape(), other.tensors.get(k).shape())) {
        throw new IllegalArgumentException(what + ": tensor '" + k + "' has shape "
            + Arrays.toString(t.shape()) + " vs " + Arrays.toString(other.tensors.get(k).shape()));
      }
    });
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("TensorSet{");
    tensors.forEach((k, t) -> b.append(k).append(Arrays.toString(t.shape())).append(' '));
    return b.append('}').toString();
  }
}
