package org.synergen.train.stage;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import org.synergen.config.ModelConfig;
import org.synergen.train.data.InMemorySamples;
import org.synergen.train.data.SampleSource;
import org.synergen.train.data.SyntheticSamples;
import org.synergen.train.data.TokenShardSamples;

/** A stage's samples ({@code --input}): token shards on any Hadoop file system, or synthetic rows. */
public final class StageInput {
  public static final String SYNTHETIC = "synthetic:";

  private StageInput() {}

  /**
   * {@code synthetic:N} (N made-up rows per task: a smoke test of the machinery), or a tokenize
   * output folder or a glob of its shard files; says on {@code out} what it found.
   */
  public static SampleSource open(String input, ModelConfig cfg, StageSettings settings, PrintWriter out)
      throws IOException {
    if (input.startsWith(SYNTHETIC)) {
      int n;
      try {
        n = Integer.parseInt(input.substring(SYNTHETIC.length()));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--input " + input + ": synthetic:N needs a number of rows per task");
      }
      ModelConfig.Vision v = cfg.vision();
      return new InMemorySamples(SyntheticSamples.rows(cfg, n, 2 * v.foldRows(), 2 * v.foldCols(), settings.seed()));
    }
    TokenShardSamples shards = new TokenShardSamples(input, hadoopConf());
    out.printf(Locale.ROOT, "input: %d token shard file(s) in %s (%s)%n", shards.files().size(), input,
        shards.identities());
    return shards;
  }

  /** Hadoop settings as Spark's executors will see them: defaults plus spark.hadoop.* (e.g. from spark-submit). */
  private static Configuration hadoopConf() {
    Configuration c = new Configuration();
    for (scala.Tuple2<String, String> kv : new SparkConf().getAllWithPrefix("spark.hadoop.")) {
      c.set(kv._1(), kv._2());
    }
    return c;
  }
}
