package org.synergen.ingest.dedup;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.synergen.io.hadoop.HadoopPaths;

/**
 * Row {@code key} duplicates the earlier row {@code duplicateOf}: byte-identical ({@code exact})
 * or with perceptual hashes {@code distance} bits apart.
 */
public record DuplicateMark(String key, String duplicateOf, boolean exact, int distance) {

  /** The cause counted in the shard stats. */
  public String cause() {
    return exact ? "exact duplicate" : "near duplicate";
  }

  public String message(int threshold) {
    return exact
        ? "exact duplicate of key " + duplicateOf + " (same stored bytes: jpg_sha256)"
        : "near duplicate of key " + duplicateOf + " (perceptual hash distance " + distance
            + " <= " + threshold + ")";
  }

  /** The marks {@link Deduplicator} wrote for one shard, by key; empty if it has none. */
  public static Map<String, DuplicateMark> readShard(Path shardDir, Configuration conf)
      throws IOException {
    Map<String, DuplicateMark> marks = new HashMap<>();
    for (FileStatus f : HadoopPaths.listFiles(shardDir, conf)) {
      if (!f.getPath().getName().endsWith(".parquet")) {
        continue;
      }
      try (ParquetReader<Group> r =
          ParquetReader.builder(new GroupReadSupport(), f.getPath()).withConf(conf).build()) {
        for (Group g = r.read(); g != null; g = r.read()) {
          DuplicateMark m = new DuplicateMark(g.getString("key", 0), g.getString("duplicate_of", 0),
              g.getBoolean("exact", 0), g.getInteger("distance", 0));
          marks.put(m.key(), m);
        }
      }
    }
    return marks;
  }
}
