package org.synergen.train.distributed;

/**
 * Where a round's wall time went, in seconds.
 *
 * @param wall      the whole round on the driver
 * @param broadcast creating the broadcasts on the driver + the slowest task's fetch of them
 * @param compute   the slowest task's local steps
 * @param aggregate the rest of the Spark job (result transfer, treeAggregate merges, scheduling)
 *                  plus the outer update on the driver
 */
public record RoundTiming(double wall, double broadcast, double compute, double aggregate) {
  /** Share of the round spent moving state rather than computing. */
  public double communicationShare() {
    return wall <= 0 ? 0 : (broadcast + aggregate) / wall;
  }
}
