package org.synergen.train.data;

import java.util.List;
import org.synergen.data.TokenShardRow;

/** Rows held in memory (tests, synthetic data), each row a split of its own; shipped to tasks with the closure. */
public record InMemorySamples(List<TokenShardRow> all) implements SampleSource {
  public InMemorySamples {
    all = List.copyOf(all);
  }

  @Override
  public int splits() {
    return all.size();
  }

  @Override
  public Rows open(int split) {
    return new Rows() {
      private boolean done;

      @Override
      public TokenShardRow next() {
        if (done) {
          return null;
        }
        done = true;
        return all.get(split);
      }

      @Override
      public void close() {}
    };
  }
}
