package org.synergen.tokenize;

import com.typesafe.config.ConfigException;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.SparkConf;
import org.synergen.data.TokenShardStats;
import org.synergen.io.UnreadableInput;
import org.synergen.spark.JobSession;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The options of the tokenize run itself ({@code synergen tokenize --input SHARDS --output DIR}),
 * mixed into {@link TokenizeJob} so that its tool subcommands keep their own options.
 */
public final class TokenizeCommand {
  @Option(names = "--input", paramLabel = "SHARDS",
      description = "ingest's output folder of image shards NNNNN.parquet (file:, hdfs://, s3a://)")
  String input;

  @Option(names = "--output", paramLabel = "DIR",
      description = "folder for the token shards, their NNNNN_stats.json, _job.json and _summary.json"
          + " (re-running with the same settings skips finished shards)")
  String output;

  @Option(names = "--conf", paramLabel = "FILE", description = "HOCON file over conf/tokenize.conf")
  File conf;

  @Option(names = "--stage", paramLabel = "1|2|sft",
      description = "whose tiling applies (stage 1: 1 tile; stage 2: up to 6 + thumbnail; sft: up to 12"
          + " + thumbnail); same as tokenize.stage=...")
  String stage;

  @Option(names = "--vq", paramLabel = "DIR",
      description = "VQ tokenizer folder (config.json + model.safetensors); same as tokenize.vq=...")
  String vq;

  @Parameters(paramLabel = "key=value", arity = "0..*",
      description = "config overrides, e.g. tokenize.tasks=[und] model.vision.codebook-size=1024")
  List<String> overrides = new ArrayList<>();

  /** A path as a HOCON string value. */
  static String quoted(String path) {
    return "\"" + path.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  /** Runs the job; {@code home} is the project folder that relative config paths start from. */
  int run(Path home) throws Exception {
    if (input == null || output == null) {
      System.err.println("synergen tokenize: --input SHARDS and --output DIR are required to run the job"
          + " (or use a subcommand; see --help)");
      return 2;
    }
    List<String> all = new ArrayList<>(overrides);
    if (stage != null) {
      all.add("tokenize.stage=\"" + stage + "\"");
    }
    if (vq != null) {
      all.add("tokenize.vq=" + quoted(vq));
    }
    TokenizeSettings settings;
    try {
      settings = TokenizeSettings.from(TokenizeSettings.load(home, conf, all), home);
    } catch (ConfigException | IllegalArgumentException e) {
      System.err.println("synergen tokenize: " + e.getMessage());
      return 2;
    }
    SparkConf sc = new SparkConf().setIfMissing("spark.app.name", "synergen-tokenize")
        .setIfMissing("spark.master", settings.master());
    try (JobSession job = JobSession.open(sc)) {
      TokenShardStats t = TokenizePipeline.run(job.spark(), input, output, settings);
      System.out.printf("synergen tokenize: %d images -> %d samples (%d success %s, %d unconditional),"
          + " %d failure rows %s; %d text positions, %d image ids; shards in %s%n", t.images(), t.rows(),
          t.successes(), t.byTask(), t.unconditional(), t.rows() - t.successes(), t.byStatus(), t.textTokens(),
          t.imageIds(), output);
      return 0;
    } catch (IllegalArgumentException e) {
      System.err.println("synergen tokenize: " + e.getMessage());
      return 2;
    } catch (Exception e) {   // Spark's SparkException is a checked exception that Scala code throws undeclared
      // an image shard that is no Parquet file (read here or in a Spark task): bad input naming the file
      Optional<String> unreadable = UnreadableInput.describe(e);
      if (unreadable.isEmpty()) {
        throw e;
      }
      System.err.println("synergen tokenize: " + unreadable.get());
      return 2;
    }
  }
}
