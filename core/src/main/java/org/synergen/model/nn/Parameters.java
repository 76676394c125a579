package org.synergen.model.nn;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The named tensors of a model and their gradients.
 *
 * <p>Blocks look their weights up here by canonical name and accumulate gradients into
 * {@link #grad}. A tensor that does not need a gradient (frozen) gets {@code null} from
 * {@link #grad}, and blocks then skip the weight-gradient matmul entirely: freezing saves time.
 */
public final class Parameters {
  private final LinkedHashMap<String, INDArray> values;
  private final LinkedHashMap<String, INDArray> grads = new LinkedHashMap<>();
  private Predicate<String> needsGrad = name -> true;

  public Parameters(LinkedHashMap<String, INDArray> values) {
    this.values = values;
  }

  public INDArray get(String name) {
    INDArray v = values.get(name);
    if (v == null) {
      throw new IllegalStateException("no parameter named " + name);
    }
    return v;
  }

  public boolean has(String name) {
    return values.containsKey(name);
  }

  /**
   * The gradient buffer of {@code name}, created as zeros on first use; null when frozen. It is
   * created outside any active ND4J workspace: it must outlive the step that first asks for it.
   */
  public INDArray grad(String name) {
    if (!needsGrad.test(name)) {
      return null;
    }
    return grads.computeIfAbsent(name, n -> {
      try (MemoryWorkspace outside = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
        return Nd4j.zeros(get(n).dataType(), get(n).shape());
      }
    });
  }

  /** Which tensors get gradients from now on (default: all). Drops buffers of the others. */
  public void setNeedsGrad(Predicate<String> needsGrad) {
    this.needsGrad = needsGrad;
    grads.keySet().removeIf(n -> !needsGrad.test(n));
  }

  public void zeroGrads() {
    grads.values().forEach(g -> g.assign(0));
  }

  /** Gradients filled since the last {@link #zeroGrads}, in parameter order. */
  public Map<String, INDArray> grads() {
    LinkedHashMap<String, INDArray> out = new LinkedHashMap<>();
    for (String n : values.keySet()) {
      if (needsGrad.test(n)) {
        out.put(n, grad(n));
      }
    }
    return Collections.unmodifiableMap(out);
  }

  public Map<String, INDArray> values() {
    return Collections.unmodifiableMap(values);
  }

  public DataType dataType() {
    return values.values().iterator().next().dataType();
  }
}
