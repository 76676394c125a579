package org.synergen.ingest.output;

import java.io.Serializable;
import org.apache.hadoop.fs.Path;
import org.synergen.data.ImageShard;

/**
 * Where everything goes under the output folder:
 * <pre>
 *   00000.parquet, 00000_stats.json, ...   final shards (what tokenize-job reads)
 *   _summary.json                          job totals; its presence means the job finished
 *   _job.json                              what this output was made from (checked on resume)
 *   _fetched/                              shards before dedup (removed at the end)
 *   _dedup/shard=N/                        duplicate marks per shard (removed at the end)
 * </pre>
 * Names starting with '_' are skipped by Spark and pyarrow dataset readers.
 */
public record OutputLayout(String root) implements Serializable {

  public Path rootPath() {
    return new Path(root);
  }

  public Path shard(int shard) {
    return new Path(root, ImageShard.parquetName(shard));
  }

  public Path stats(int shard) {
    return new Path(root, ImageShard.statsName(shard));
  }

  public Path fetchedDir() {
    return new Path(root, "_fetched");
  }

  public Path fetchedShard(int shard) {
    return new Path(fetchedDir(), ImageShard.parquetName(shard));
  }

  public Path fetchedStats(int shard) {
    return new Path(fetchedDir(), ImageShard.statsName(shard));
  }

  public Path dedupDir() {
    return new Path(root, "_dedup");
  }

  public Path dedupShardDir(int shard) {
    return new Path(dedupDir(), "shard=" + shard);
  }

  public Path summary() {
    return new Path(root, "_summary.json");
  }

  public Path job() {
    return new Path(root, "_job.json");
  }
}
