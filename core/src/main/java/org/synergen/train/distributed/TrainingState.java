package org.synergen.train.distributed;

import java.util.ArrayList;
import java.util.List;

/**
 * Everything the driver holds between rounds, and everything a checkpoint must keep for a resumed
 * run to continue bit-identically.
 *
 * @param stage         training stage (1, 2, ...), recorded in checkpoints
 * @param round         rounds completed
 * @param nextStep      global inner step the next round starts at; also the data cursor, since
 *                      each worker's batches are a pure function of the step ({@link DataSlices})
 * @param seed          the job's base seed
 * @param examplesSeen  examples consumed over all workers so far
 * @param tokensSeen    tokens consumed over all workers so far
 * @param frozen        parameters that do not train in this stage
 * @param trainable     parameters that train
 * @param optimizers    inner optimizer state: one shared state ({@code average}) or one per worker
 *                      in partition order ({@code diloco})
 * @param outerMomentum DiLoCo's outer momentum (empty for {@code average})
 */
public record TrainingState(
    int stage,
    long round,
    long nextStep,
    long seed,
    long examplesSeen,
    long tokensSeen,
    TensorSet frozen,
    TensorSet trainable,
    List<OptimizerState> optimizers,
    TensorSet outerMomentum) {

  public TrainingState {
    optimizers = List.copyOf(optimizers);
  }

  /** A fresh run: fresh optimizer state(s), zero momentum, round 0. */
  public static TrainingState start(int stage, long seed, TensorSet frozen, TensorSet trainable, OuterUpdate mode, int workers) {
    List<OptimizerState> opts = new ArrayList<>();
    for (int i = 0; i < (mode == OuterUpdate.AVERAGE ? 1 : workers); i++) {
      opts.add(OptimizerState.fresh());
    }
    return new TrainingState(stage, 0, 0, seed, 0, 0, frozen, trainable, opts, new TensorSet());
  }

  /** All tensors of the state, frozen first (a checkpoint's ParameterLayout decides what its model file holds). */
  public TensorSet parameters() {
    return frozen.plus(trainable);
  }

  /** Throws unless the optimizer layout fits {@code mode} with {@code workers} workers. */
  void requireLayout(OuterUpdate mode, int workers) {
    int expected = mode == OuterUpdate.AVERAGE ? 1 : workers;
    if (optimizers.size() != expected) {
      throw new IllegalArgumentException("the training state holds " + optimizers.size()
          + " inner optimizer state(s) but outer update '" + mode.configName() + "' with " + workers
          + " workers needs " + expected + (mode == OuterUpdate.DILOCO
              ? " (DiLoCo keeps one per worker: resume with the worker count the run started with)" : ""));
    }
  }
}
