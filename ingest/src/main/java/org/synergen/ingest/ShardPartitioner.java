package org.synergen.ingest;

import java.util.HashMap;
import java.util.List;
import org.apache.spark.Partitioner;

/** One Spark partition per shard still to do, so that one task writes exactly one shard. */
final class ShardPartitioner extends Partitioner {
  private final HashMap<Integer, Integer> partitionOf = new HashMap<>();

  ShardPartitioner(List<Integer> shards) {
    for (int i = 0; i < shards.size(); i++) {
      partitionOf.put(shards.get(i), i);
    }
  }

  @Override
  public int numPartitions() {
    return Math.max(1, partitionOf.size());
  }

  @Override
  public int getPartition(Object shard) {
    return partitionOf.get((Integer) shard);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ShardPartitioner p && p.partitionOf.equals(partitionOf);
  }

  @Override
  public int hashCode() {
    return partitionOf.hashCode();
  }
}
