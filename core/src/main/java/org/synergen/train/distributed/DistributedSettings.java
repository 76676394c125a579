package org.synergen.train.distributed;

import com.typesafe.config.Config;

/**
 * The {@code distributed { ... }} block of a stage file.
 *
 * @param outerUpdate           {@code average} or {@code diloco}
 * @param workers               Spark partitions per round, each one worker with its own data slice
 * @param localSteps            H: inner optimizer steps per worker per round
 * @param checkpointEveryRounds K: a checkpoint every K rounds (and always after the last)
 * @param outerLearningRate     DiLoCo outer learning rate (paper: 0.7)
 * @param outerMomentum         DiLoCo Nesterov momentum (paper: 0.9)
 * @param aggregationDepth      treeAggregate depth
 */
public record DistributedSettings(
    OuterUpdate outerUpdate,
    int workers,
    int localSteps,
    int checkpointEveryRounds,
    double outerLearningRate,
    double outerMomentum,
    int aggregationDepth) {

  public DistributedSettings {
    require(workers >= 1, "distributed.workers must be at least 1, got " + workers);
    require(localSteps >= 1, "distributed.local-steps must be at least 1, got " + localSteps);
    require(checkpointEveryRounds >= 1, "distributed.checkpoint-every-rounds must be at least 1, got " + checkpointEveryRounds);
    require(outerLearningRate > 0, "distributed.diloco.outer-lr must be positive, got " + outerLearningRate);
    require(outerMomentum >= 0 && outerMomentum < 1, "distributed.diloco.outer-momentum must be in [0, 1), got " + outerMomentum);
    require(aggregationDepth >= 1, "distributed.aggregation-depth must be at least 1, got " + aggregationDepth);
  }

  public static DistributedSettings fromConfig(Config d) {
    return new DistributedSettings(
        OuterUpdate.parse(d.getString("outer-update")),
        d.getInt("workers"),
        d.getInt("local-steps"),
        d.getInt("checkpoint-every-rounds"),
        d.getDouble("diloco.outer-lr"),
        d.getDouble("diloco.outer-momentum"),
        d.getInt("aggregation-depth"));
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }
}
