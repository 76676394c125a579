package org.synergen.train.distributed.toy;

import java.util.SplittableRandom;
import org.synergen.train.distributed.TensorSet;

/**
 * A one-hidden-layer tanh MLP for regression, plain Java:
 * {@code y = W2 tanh(W1 (x * scale) + b1) + b2}, mean squared error.
 * {@code input.scale} plays the part of a frozen parameter (it is used, never trained).
 */
public final class ToyMlp {
  public final int in;
  public final int hidden;
  public final int out;

  public ToyMlp(int in, int hidden, int out) {
    this.in = in;
    this.hidden = hidden;
    this.out = out;
  }

  public TensorSet initFrozen(long seed) {
    SplittableRandom r = new SplittableRandom(seed + 1);
    float[] scale = new float[in];
    for (int i = 0; i < in; i++) {
      scale[i] = (float) (0.5 + r.nextDouble());
    }
    return new TensorSet().put("input.scale", new long[] {in}, scale);
  }

  public TensorSet initTrainable(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    return new TensorSet()
        .put("mlp.w1", new long[] {hidden, in}, gaussian(r, hidden * in, 1 / Math.sqrt(in)))
        .put("mlp.b1", new long[] {hidden}, new float[hidden])
        .put("mlp.w2", new long[] {out, hidden}, gaussian(r, out * hidden, 1 / Math.sqrt(hidden)))
        .put("mlp.b2", new long[] {out}, new float[out]);
  }

  private static float[] gaussian(SplittableRandom r, int n, double std) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) (r.nextGaussian() * std);
    }
    return a;
  }

  /** Loss of {@code batch}; fills {@code grads} (same names as the trainable set) with its gradient. */
  public float lossAndGradient(TensorSet frozen, TensorSet p, ToyBatch batch, TensorSet grads) {
    float[] scale = frozen.get("input.scale");
    float[] w1 = p.get("mlp.w1");
    float[] b1 = p.get("mlp.b1");
    float[] w2 = p.get("mlp.w2");
    float[] b2 = p.get("mlp.b2");
    float[] gw1 = zero(grads, "mlp.w1", p);
    float[] gb1 = zero(grads, "mlp.b1", p);
    float[] gw2 = zero(grads, "mlp.w2", p);
    float[] gb2 = zero(grads, "mlp.b2", p);
    int n = batch.n();
    double loss = 0;
    float[] xs = new float[in];
    float[] h = new float[hidden];
    float[] dh = new float[hidden];
    float norm = 1f / (n * out);
    for (int b = 0; b < n; b++) {
      for (int k = 0; k < in; k++) {
        xs[k] = batch.x()[b * in + k] * scale[k];
      }
      for (int j = 0; j < hidden; j++) {
        float a = b1[j];
        for (int k = 0; k < in; k++) {
          a += w1[j * in + k] * xs[k];
        }
        h[j] = (float) Math.tanh(a);
        dh[j] = 0;
      }
      for (int o = 0; o < out; o++) {
        float yHat = b2[o];
        for (int j = 0; j < hidden; j++) {
          yHat += w2[o * hidden + j] * h[j];
        }
        float err = yHat - batch.y()[b * out + o];
        loss += err * err;
        float d = 2 * err * norm;
        gb2[o] += d;
        for (int j = 0; j < hidden; j++) {
          gw2[o * hidden + j] += d * h[j];
          dh[j] += d * w2[o * hidden + j];
        }
      }
      for (int j = 0; j < hidden; j++) {
        float da = dh[j] * (1 - h[j] * h[j]);
        gb1[j] += da;
        for (int k = 0; k < in; k++) {
          gw1[j * in + k] += da * xs[k];
        }
      }
    }
    return (float) (loss * norm);
  }

  private static float[] zero(TensorSet grads, String name, TensorSet like) {
    if (!grads.contains(name)) {
      grads.put(name, like.shape(name).clone(), new float[like.get(name).length]);
    }
    float[] g = grads.get(name);
    java.util.Arrays.fill(g, 0f);
    return g;
  }
}
