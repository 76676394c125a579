package org.synergen.train.data;

import java.util.List;
import org.synergen.data.TokenShardRow;

/** Rows held in memory (tests, synthetic data); shipped to tasks with the closure. */
public record InMemorySamples(List<TokenShardRow> all) implements SampleSource {
  public InMemorySamples {
    all = List.copyOf(all);
  }

  @Override
  public List<TokenShardRow> rows(String task) {
    return all.stream().filter(r -> task.equals(r.task())).toList();
  }
}
