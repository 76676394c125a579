package org.synergen.ingest;

import java.io.IOException;
import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.synergen.data.ImageShard;
import org.synergen.data.ImageShardReader;
import org.synergen.data.ImageShardRow;
import org.synergen.data.ImageShardWriter;
import org.synergen.ingest.dedup.DuplicateMark;
import org.synergen.ingest.output.Json;
import org.synergen.ingest.output.OutputLayout;
import org.synergen.ingest.output.ShardStats;
import org.synergen.io.hadoop.HadoopConf;
import org.synergen.io.hadoop.HadoopPaths;

/**
 * Phase 3 for one shard: copies {@code _fetched/NNNNN.parquet} to the output with the duplicate
 * marks applied (or renames it when it has none), then writes its stats. A shard whose final stats exist is already done.
 */
final class ShardFinalizer implements Serializable {
  private final OutputLayout layout;
  private final Map<String, String> hadoop;
  private final int phashThreshold;

  ShardFinalizer(OutputLayout layout, Map<String, String> hadoop, int phashThreshold) {
    this.layout = layout;
    this.hadoop = hadoop;
    this.phashThreshold = phashThreshold;
  }

  ShardStats finish(int shard) throws Exception {
    Configuration conf = HadoopConf.rebuild(hadoop);
    if (HadoopPaths.exists(layout.stats(shard), conf)) {
      return Json.read(layout.stats(shard), ShardStats.class, conf);
    }
    ShardStats fetched = Json.read(layout.fetchedStats(shard), ShardStats.class, conf);
    Map<String, DuplicateMark> marks = DuplicateMark.readShard(layout.dedupShardDir(shard), conf);
    Map<String, Long> byCause = new TreeMap<>();
    long rows;
    if (marks.isEmpty()) {
      // nothing to mark: the staged file already is the final shard, so it is renamed, not copied
      rows = ImageShardReader.rowCount(layout.fetchedShard(shard), conf);
      HadoopPaths.moveInto(layout.fetchedShard(shard), layout.shard(shard), conf);
    } else {
      rows = copyMarked(shard, marks, byCause, conf);
    }
    if (rows != fetched.count()) {
      throw new IllegalStateException("shard " + ImageShard.shardName(shard) + ": _fetched holds "
          + rows + " rows but its stats say " + fetched.count());
    }
    ShardStats stats = fetched.withDuplicates(byCause);
    Json.write(layout.stats(shard), stats, conf);
    return stats;
  }

  /** Copies the staged shard with its marks applied; returns the rows copied. */
  private long copyMarked(int shard, Map<String, DuplicateMark> marks, Map<String, Long> byCause,
      Configuration conf) throws IOException {
    long rows = 0;
    try (ImageShardReader in = new ImageShardReader(layout.fetchedShard(shard), conf)) {
      ImageShardWriter out = new ImageShardWriter(layout.shard(shard), in.extras(), conf);
      try {
        for (ImageShardRow r = in.next(); r != null; r = in.next(), rows++) {
          DuplicateMark m = marks.get(r.key());
          if (m != null) {
            r = r.asDuplicateOf(m.duplicateOf(), m.message(phashThreshold));
            byCause.merge(m.cause(), 1L, Long::sum);
          }
          out.write(r);
        }
        out.close();
      } catch (Exception | Error e) {
        out.abort();
        throw e;
      }
    }
    return rows;
  }
}
