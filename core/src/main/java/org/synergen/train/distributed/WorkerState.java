package org.synergen.train.distributed;

import java.io.Serializable;

/**
 * What a worker restores at the start of a round and hands back at its end: the trainable
 * parameters and the inner optimizer state. Frozen parameters travel separately (broadcast once
 * per job) because they never change.
 */
public record WorkerState(TensorSet trainable, OptimizerState optimizer) implements Serializable {
  public WorkerState copy() {
    return new WorkerState(trainable.copy(), optimizer.copy());
  }
}
