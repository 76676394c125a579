package org.synergen.train.distributed;

/**
 * A loss, gradient or parameter became NaN or infinite: training stops, no checkpoint is written.
 * The round is counted from 1 as in progress lines and metrics (round 3 follows checkpoint-2);
 * the step is the global 0-based inner step.
 */
public final class NonFiniteTrainingException extends RuntimeException {
  private final long round;
  private final int partition;
  private final long step;

  public NonFiniteTrainingException(long round, int partition, long step, String what) {
    super("non-finite " + what + " in round " + round + ", partition " + partition + ", step " + step
        + "; training stopped, the last checkpoint is untouched (lower the learning rate or check the data"
        + " of that step, then resume)");
    this.round = round;
    this.partition = partition;
    this.step = step;
  }

  public long round() {
    return round;
  }

  public int partition() {
    return partition;
  }

  public long step() {
    return step;
  }
}
