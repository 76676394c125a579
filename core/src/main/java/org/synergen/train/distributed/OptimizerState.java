package org.synergen.train.distributed;

import java.io.Serializable;

/**
 * An inner optimizer's state as named tensors (e.g. AdamW's first and second moments per
 * parameter) plus the number of steps it has taken (AdamW's bias correction needs it).
 *
 * <p>The trainer never looks inside: {@code average} averages every tensor, {@code diloco} keeps
 * one state per worker. An empty state means "fresh": the local trainer creates zeros on demand.
 */
public record OptimizerState(TensorSet tensors, long steps) implements Serializable {
  public static OptimizerState fresh() {
    return new OptimizerState(new TensorSet(), 0);
  }

  public OptimizerState copy() {
    return new OptimizerState(tensors.copy(), steps);
  }
}
