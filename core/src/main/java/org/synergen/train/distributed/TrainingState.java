package org.synergen.train.distributed;

import java.util.ArrayList;
import java.util.List;

/**
 * Everything the driver holds between rounds, and everything a checkpoint must keep for a resumed
 * run to continue bit-identically.
 *
 * @param stage         training stage (1, 2, ...), recorded in checkpoints
 * @param round         rounds completed
 * @param nextStep      global inner step the next round starts at (drives the learning rate)
 * @param seed          the job's base seed
 * @param examplesSeen  examples consumed over all workers so far
 * @param tokensSeen    tokens consumed over all workers so far
 * @param frozen        parameters that do not train in this stage
 * @param trainable     parameters that train
 * @param optimizers    inner optimizer state: one shared state ({@code average}) or one per worker
 *                      in partition order ({@code diloco})
 * @param outerMomentum DiLoCo's outer momentum (empty for {@code average})
 * @param cursors       where each worker's data slice continues, in partition order (empty at the
 *                      start of a run: every worker at its beginning)
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
    TensorSet outerMomentum,
    List<SliceCursor> cursors) {

  public TrainingState {
    optimizers = List.copyOf(optimizers);
    cursors = List.copyOf(cursors);
  }

  /** Where worker {@code partition}'s data continues. */
  public SliceCursor cursor(int partition) {
    return cursors.isEmpty() ? SliceCursor.START : cursors.get(partition);
  }

  /** A fresh run: fresh optimizer state(s), zero momentum, round 0. */
  public static TrainingState start(int stage, long seed, TensorSet frozen, TensorSet trainable, OuterUpdate mode, int workers) {
    List<OptimizerState> opts = new ArrayList<>();
    for (int i = 0; i < (mode == OuterUpdate.AVERAGE ? 1 : workers); i++) {
      opts.add(OptimizerState.fresh());
    }
    return new TrainingState(stage, 0, 0, seed, 0, 0, frozen, trainable, opts, new TensorSet(), List.of());
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
    if (!cursors.isEmpty() && cursors.size() != workers) {
      throw new IllegalArgumentException("the training state holds the data cursors of " + cursors.size()
          + " workers but this run has " + workers + ": each worker streams its own splits, so resume with"
          + " distributed.workers=" + cursors.size() + " (or start a new run)");
    }
  }
}
