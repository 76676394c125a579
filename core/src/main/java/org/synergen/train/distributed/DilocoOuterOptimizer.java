package org.synergen.train.distributed;

/**
 * DiLoCo's outer step, Nesterov momentum on the averaged worker change:
 * <pre>
 *   delta = mean_i(theta_prev - theta_i)      (= theta_prev - mean_i theta_i)
 *   m     = mu * m + delta
 *   theta = theta_prev - lr * (delta + mu * m)
 * </pre>
 * With lr = 1 and mu = 0 this is plain averaging of the parameters.
 */
public final class DilocoOuterOptimizer {
  private DilocoOuterOptimizer() {}

  /**
   * @param previous the parameters broadcast at the start of the round
   * @param mean     the workers' mean parameters after the round
   * @param momentum the outer momentum, updated in place (zeros for a missing tensor)
   * @return the next round's parameters (new arrays)
   */
  public static TensorSet step(TensorSet previous, TensorSet mean, TensorSet momentum, float lr, float mu) {
    previous.requireSameLayout(mean, "DiLoCo outer step");
    TensorSet next = new TensorSet();
    for (String name : previous.names()) {
      float[] prev = previous.get(name);
      float[] avg = mean.get(name);
      if (!momentum.contains(name)) {
        momentum.put(name, previous.shape(name).clone(), new float[prev.length]);
      }
      float[] m = momentum.get(name);
      float[] theta = new float[prev.length];
      for (int i = 0; i < prev.length; i++) {
        float delta = prev[i] - avg[i];
        m[i] = mu * m[i] + delta;
        theta[i] = prev[i] - lr * (delta + mu * m[i]);
      }
      next.put(name, previous.shape(name).clone(), theta);
    }
    return next;
  }
}
