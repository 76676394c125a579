package org.synergen.data;

import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.synergen.io.UnreadableInput;

/**
 * The rows of one Parquet shard, in file order. The shard readers (image, token) say how one
 * Parquet group becomes one of their rows.
 */
abstract class GroupShardReader<R> implements Closeable {
  private final ParquetReader<Group> reader;

  GroupShardReader(Path shard, Configuration conf) throws IOException {
    try {
      this.reader = ParquetReader.builder(new GroupReadSupport(), shard).withConf(conf).build();
    } catch (RuntimeException e) {
      throw UnreadableInput.asBadInput(e);
    }
  }

  /** The row that one group of the file holds. */
  abstract R row(Group g);

  /** The next row, or null at the end of the shard. */
  public R next() throws IOException {
    Group g;
    try {
      g = reader.read();
    } catch (RuntimeException e) {
      // a shard that is no Parquet file is bad input naming the file (exit 2 in every job), not a crash
      throw UnreadableInput.asBadInput(e);
    }
    return g == null ? null : row(g);
  }

  @Override
  public void close() throws IOException {
    reader.close();
  }

  /** Every row left in {@code shard}, which is closed afterwards (for small shards and tests). */
  static <R> List<R> drain(GroupShardReader<R> shard) throws IOException {
    List<R> rows = new ArrayList<>();
    try (shard) {
      for (R row = shard.next(); row != null; row = shard.next()) {
        rows.add(row);
      }
    }
    return rows;
  }

  /** An optional string field: null when absent. */
  static String string(Group g, String f) {
    return g.getFieldRepetitionCount(f) == 0 ? null : g.getString(f, 0);
  }
}
