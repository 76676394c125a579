package org.synergen.train.data;

import java.io.Closeable;
import java.io.IOException;
import java.io.Serializable;
import org.synergen.data.TokenShardRow;

/**
 * Where token-shard rows come from, cut into splits that a worker reads on its own (a shard file,
 * or one row of data held in memory). Implementations are shipped to Spark tasks, so they hold
 * paths or small data, and return the same rows in the same order on every call.
 */
public interface SampleSource extends Serializable {
  /** How many splits there are. */
  int splits();

  /** Split {@code split}'s rows of both tasks, failed ones included, in order, streamed. */
  Rows open(int split) throws IOException;

  /** A split's rows, one at a time. */
  interface Rows extends Closeable {
    /** The next row, or null at the end of the split. */
    TokenShardRow next() throws IOException;
  }
}
