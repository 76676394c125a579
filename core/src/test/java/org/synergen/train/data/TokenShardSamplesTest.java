package org.synergen.train.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.synergen.config.ModelConfig;
import org.synergen.data.TokenShardRow;
import org.synergen.data.TokenShardWriter;

/** Parquet token shards as training input: order, failure rows, tokenizer identities, fold size. */
class TokenShardSamplesTest {
  private static final ModelConfig CFG =
      ModelConfig.fromConfig(ConfigFactory.parseFile(new File("../conf/model/tiny.conf")).getConfig("model"));
  private static final Configuration CONF = new Configuration();
  @TempDir Path tmp;

  /** Synthetic rows (tiny config's 2x4 folding) with their tokenizer identities replaced. */
  private static List<TokenShardRow> rows(int perTask, long seed, String text, String vq) {
    List<TokenShardRow> out = new ArrayList<>();
    for (TokenShardRow r : SyntheticSamples.rows(CFG, perTask, 4, 8, seed)) {
      out.add(new TokenShardRow(r.key() + "-" + seed, r.task(), r.status(), null, r.inputIds(), r.textLoss(),
          r.imageLoss(), r.tiles(), r.foldRows(), r.foldCols(), text, vq));
    }
    return out;
  }

  private static TokenShardRow failure(String key, String task) {
    return new TokenShardRow(key, task, "failed_to_tokenize", "broken JPEG", new int[0], new boolean[0], false, List.of(),
        2, 4, "t", "v");
  }

  private void write(String name, List<TokenShardRow> rows) throws IOException {
    try (TokenShardWriter w = new TokenShardWriter(new org.apache.hadoop.fs.Path(tmp.resolve(name).toUri()), CONF)) {
      for (TokenShardRow r : rows) {
        w.write(r);
      }
    }
  }

  private static List<String> keys(List<TokenShardRow> rows) {
    return rows.stream().map(TokenShardRow::key).toList();
  }

  /** Every row of every split, in split order. */
  private static List<TokenShardRow> all(SampleSource source) throws IOException {
    List<TokenShardRow> out = new ArrayList<>();
    for (int i = 0; i < source.splits(); i++) {
      try (SampleSource.Rows rows = source.open(i)) {
        for (TokenShardRow r = rows.next(); r != null; r = rows.next()) {
          out.add(r);
        }
      }
    }
    return out;
  }

  @Test
  void splitsAreTheShardFilesInPathOrderWithFailureRowsCountedNotDropped() throws IOException {
    List<TokenShardRow> second = new ArrayList<>(rows(3, 2, "t", "v"));
    second.add(1, failure("broken", TokenShardRow.UNDERSTANDING));
    List<TokenShardRow> first = rows(2, 1, "t", "v");
    write("00001.parquet", second); // written first, read second: the order is by name
    write("00000.parquet", first);
    Files.writeString(tmp.resolve("00000_stats.json"), "{}");
    Files.writeString(tmp.resolve("_job.json"), "{}");

    List<TokenShardRow> expected = new ArrayList<>(first);
    expected.addAll(second);
    TokenShardSamples samples = new TokenShardSamples(tmp.toString(), CONF);
    assertEquals(2, samples.splits());
    assertEquals(keys(expected), keys(all(samples)));
    // a fresh instance (a retried Spark task) reads the same rows in the same order; a glob works too
    assertEquals(keys(expected), keys(all(new TokenShardSamples(tmp.resolve("*.parquet").toString(), CONF))));

    TokenShardSlices.TaskSummary und = new TokenShardSlices(samples, CFG.vision(), 64, 1).summary(2, 7).get(0);
    assertEquals(5, und.samples());
    assertEquals(1, und.failed());
    assertEquals(Map.of("failed_to_tokenize", 1), und.failedByStatus());
  }

  @Test
  void shardsOfDifferentTokenizersOrAnotherFoldSizeAreRefused() throws IOException {
    write("00000.parquet", rows(2, 1, "text-a", "vq-a"));
    write("00001.parquet", rows(2, 2, "text-a", "vq-b"));
    TokenShardSamples mixedShards = new TokenShardSamples(tmp.toString(), CONF);
    IllegalArgumentException mixed = assertThrows(IllegalArgumentException.class,
        () -> new TokenShardSlices(mixedShards, CFG.vision(), 64, 1).summary(1, 7));
    assertTrue(mixed.getMessage().contains("different tokenizers") && mixed.getMessage().contains("vq-a")
        && mixed.getMessage().contains("vq-b") && mixed.getMessage().contains("00001.parquet"), mixed.getMessage());

    ModelConfig.Vision v = CFG.vision();
    ModelConfig.Vision folds4x4 = new ModelConfig.Vision(v.codebookSize(), v.embedDim(), v.maxGridRows(), v.maxGridCols(),
        4, 4, v.foldMlpHidden(), v.unfoldLayers(), v.unfoldHidden(), v.unfoldHeads(), v.unfoldIntermediate(), v.boiId(),
        v.eoiId(), v.uncondId());
    TokenShardSamples one = new TokenShardSamples(tmp.resolve("00000.parquet").toString(), CONF);
    IllegalArgumentException fold = assertThrows(IllegalArgumentException.class,
        () -> new TokenShardSlices(one, folds4x4, 64, 1).summary(1, 7));
    assertTrue(fold.getMessage().contains("2x4 folding") && fold.getMessage().contains("model folds 4x4"), fold.getMessage());

    IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
        () -> new TokenShardSamples(tmp.resolve("nothing").toString(), CONF));
    assertTrue(none.getMessage().contains("no token shards"), none.getMessage());
    IllegalArgumentException few = assertThrows(IllegalArgumentException.class,
        () -> new TokenShardSlices(one, CFG.vision(), 64, 1).summary(2, 7));
    assertTrue(few.getMessage().contains("1 split(s)") && few.getMessage().contains("2 workers"), few.getMessage());
  }
}
