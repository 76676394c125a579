package org.synergen.train.data;

import java.io.Serializable;
import java.util.List;
import org.synergen.data.TokenShardRow;

/**
 * Where the token-shard rows of one task come from. Implementations are shipped to Spark tasks,
 * so they hold paths or small data, and return the same rows in the same order on every call.
 */
public interface SampleSource extends Serializable {
  /** Rows of {@code task} ({@link TokenShardRow#UNDERSTANDING} or {@link TokenShardRow#GENERATION}), failed ones included. */
  List<TokenShardRow> rows(String task);
}
