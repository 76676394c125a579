package org.synergen.train.distributed.toy;

import org.synergen.train.distributed.OptimizerState;
import org.synergen.train.distributed.TensorSet;

/**
 * AdamW (decoupled weight decay, bias-corrected moments) on named tensors; state tensors are
 * {@code m/<name>} and {@code v/<name>}, created as zeros on first use. Test-only: the real model
 * brings its own optimizer.
 */
public final class ToyAdamW {
  private final double beta1;
  private final double beta2;
  private final double eps;
  private final double weightDecay;

  public ToyAdamW(double beta1, double beta2, double eps, double weightDecay) {
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.eps = eps;
    this.weightDecay = weightDecay;
  }

  /** One step on {@code params} in place; returns the state after it. */
  public OptimizerState step(TensorSet params, TensorSet grads, OptimizerState state, double lr) {
    TensorSet st = state.tensors();
    long t = state.steps() + 1;
    double c1 = 1 - Math.pow(beta1, t);
    double c2 = 1 - Math.pow(beta2, t);
    for (String name : params.names()) {
      float[] p = params.get(name);
      float[] g = grads.get(name);
      if (!st.contains("m/" + name)) {
        st.put("m/" + name, params.shape(name).clone(), new float[p.length]);
        st.put("v/" + name, params.shape(name).clone(), new float[p.length]);
      }
      float[] m = st.get("m/" + name);
      float[] v = st.get("v/" + name);
      for (int i = 0; i < p.length; i++) {
        m[i] = (float) (beta1 * m[i] + (1 - beta1) * g[i]);
        v[i] = (float) (beta2 * v[i] + (1 - beta2) * g[i] * g[i]);
        double update = (m[i] / c1) / (Math.sqrt(v[i] / c2) + eps);
        p[i] = (float) (p[i] - lr * (update + weightDecay * p[i]));
      }
    }
    return new OptimizerState(st, t);
  }
}
