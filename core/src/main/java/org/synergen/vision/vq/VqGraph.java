package org.synergen.vision.vq;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One SameDiff graph of the tokenizer for a fixed batch size and image size, together with the
 * named tensors it reads. Parameter names are the HF checkpoint names, so a graph's parameters
 * are a {@code model.safetensors} as they stand.
 *
 * <p>Inference graphs hold every tensor as a constant. Training graphs hold trainable tensors as
 * variables and create the ones missing from {@code tensors} with Emu3's initialisation.
 */
final class VqGraph {

  /** How a tensor missing from the checkpoint is initialised when training from scratch. */
  enum Init { CONV, ZERO, ONE, CODEBOOK }

  final SameDiff sd = SameDiff.create();
  final int batch;
  private final Map<String, INDArray> tensors;
  private final Random init;
  private final Map<String, SDVariable> used = new LinkedHashMap<>();

  /**
   * @param tensors checkpoint tensors by HF name (float32)
   * @param init    random source for tensors missing from {@code tensors}, which are then created
   *                as trainable variables and added to {@code tensors}; null for inference
   */
  VqGraph(int batch, Map<String, INDArray> tensors, Random init) {
    this.batch = batch;
    this.tensors = tensors;
    this.init = init;
  }

  boolean training() {
    return init != null;
  }

  /** A trainable parameter (a constant in inference graphs). */
  SDVariable param(String name, Init kind, long... shape) {
    return tensor(name, kind, true, shape);
  }

  /** A tensor that is never trained (BatchNorm running statistics). */
  SDVariable fixed(String name, Init kind, long... shape) {
    return tensor(name, kind, false, shape);
  }

  /** The names of all tensors this graph read, in creation order. */
  Map<String, SDVariable> tensorsUsed() {
    return used;
  }

  private SDVariable tensor(String name, Init kind, boolean trainable, long[] shape) {
    SDVariable done = used.get(name);
    if (done != null) {
      return done;
    }
    INDArray value = tensors.get(name);
    if (value == null) {
      if (init == null) {
        throw new IllegalArgumentException("model.safetensors has no tensor '" + name + "' (expected shape "
            + Arrays.toString(shape) + "); was this checkpoint written for this config.json?");
      }
      value = initial(kind, shape);
      tensors.put(name, value);
    } else if (!Arrays.equals(value.shape(), shape)) {
      throw new IllegalArgumentException("model.safetensors: '" + name + "' has shape "
          + Arrays.toString(value.shape()) + " but config.json implies " + Arrays.toString(shape));
    }
    SDVariable v = training() && trainable ? sd.var(name, value) : sd.constant(name, value);
    used.put(name, v);
    return v;
  }

  private INDArray initial(Init kind, long[] shape) {
    switch (kind) {
      case ZERO:
        return Nd4j.zeros(DataType.FLOAT, shape);
      case ONE:
        return Nd4j.ones(DataType.FLOAT, shape);
      case CODEBOOK: {
        // Emu3: uniform(-1/K, 1/K).
        double bound = 1.0 / shape[0];
        return fill(shape, () -> (init.nextDouble() * 2 - 1) * bound);
      }
      case CONV: {
        // Emu3's _init_weights: Kaiming normal, fan_out mode, ReLU gain.
        long fanOut = shape[0];
        for (int i = 2; i < shape.length; i++) {
          fanOut *= shape[i];
        }
        double std = Math.sqrt(2.0 / fanOut);
        return fill(shape, () -> init.nextGaussian() * std);
      }
      default:
        throw new IllegalStateException(kind.toString());
    }
  }

  private static INDArray fill(long[] shape, java.util.function.DoubleSupplier f) {
    long n = 1;
    for (long s : shape) {
      n *= s;
    }
    float[] data = new float[Math.toIntExact(n)];
    for (int i = 0; i < data.length; i++) {
      data[i] = (float) f.getAsDouble();
    }
    return Nd4j.create(data, shape, 'c');
  }
}
