package org.synergen.ingest;

import com.typesafe.config.ConfigException;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.spark.SparkConf;
import org.synergen.ingest.image.ImageWorkers;
import org.synergen.ingest.output.JobSummary;
import org.synergen.io.UnreadableInput;
import org.synergen.spark.JobSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The command line of the ingest job (the same under bin/synergen and spark-submit). */
@Command(
    name = "synergen ingest",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    version = "synergen ingest 0.1.0",
    description = "Downloads the images of LAION/COYO-style metadata (Parquet, CSV, TSV or JSON "
        + "lines with a url and a caption column; other columns are kept), or takes a folder of "
        + "images with same-name .txt captions; validates, resizes and re-encodes them; marks exact "
        + "and near duplicates; writes Parquet shards with img2dataset's columns, a "
        + "NNNNN_stats.json per shard and _summary.json. Every input row gives one output row "
        + "(success, or a failure status with its error message).%n%n"
        + "Re-running on the same --output resumes: complete shards are kept, partial ones redone. "
        + "Defaults come from conf/ingest.conf. Runs on local[*] unless spark-submit or "
        + "spark.master chooses a master.%n",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:done (failed rows are recorded, not errors)", "1:the job failed",
        "2:bad arguments, configuration or input"})
public final class IngestCommand implements Callable<Integer> {
  @Option(names = "--input", required = true, paramLabel = "PATH",
      description = "metadata file or folder, or a folder of images (file:, hdfs://, s3a://)")
  String input;

  @Option(names = "--output", required = true, paramLabel = "DIR",
      description = "output folder for the shards (created; re-running resumes)")
  String output;

  @Option(names = "--allow-private",
      description = "allow file: URLs and private, loopback and link-local addresses from the "
          + "metadata (refused by default; same as ingest.fetch.allow-private=true)")
  boolean allowPrivate;

  @Option(names = "--conf", paramLabel = "FILE", description = "HOCON file over conf/ingest.conf")
  File conf;

  @Parameters(paramLabel = "key=value", arity = "0..*",
      description = "config overrides, e.g. ingest.image.size=512 ingest.fetch.threads=64")
  List<String> overrides = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    IngestSettings settings;
    try {
      settings = IngestSettings.from(IngestSettings.load(conf, overrides));
    } catch (ConfigException | IllegalArgumentException e) {
      System.err.println("synergen ingest: " + e.getMessage());
      return 2;
    }
    if (allowPrivate) {
      settings = new IngestSettings(settings.master(), settings.shufflePartitions(),
          settings.input(), settings.samplesPerShard(), settings.fetch().withAllowPrivate(true),
          settings.image(), settings.dedup(), settings.progressInterval());
    }
    SparkConf sc = new SparkConf().setIfMissing("spark.app.name", "synergen-ingest")
        .setIfMissing("spark.master", settings.master())
        .setIfMissing("spark.sql.shuffle.partitions", String.valueOf(settings.shufflePartitions()));
    if (sc.get("spark.master").startsWith("local")) {
      // the web UI's server costs start-up time and threads; a local run prints its own progress
      sc.setIfMissing("spark.ui.enabled", "false");
      ImageWorkers.preload(); // this JVM runs the tasks: load the image libraries while Spark starts
    }
    try (JobSession job = JobSession.open(sc)) {
      UnreadableInput.requireReadableParquet(input, job.spark().sparkContext().hadoopConfiguration());
      JobSummary summary = IngestPipeline.run(job.spark(), input, output, settings);
      System.out.println("synergen ingest: " + summary.oneLine() + "; shards in " + summary.output());
      return 0;
    } catch (IllegalArgumentException e) {
      System.err.println("synergen ingest: " + e.getMessage());
      return 2;
    } catch (Exception e) {   // Spark's SparkException is a checked exception that Scala code throws undeclared
      // an input file that is not what its name says: bad input naming the file, not a stack trace
      Optional<String> unreadable = UnreadableInput.describe(e);
      if (unreadable.isEmpty()) {
        throw e;
      }
      System.err.println("synergen ingest: " + unreadable.get());
      return 2;
    }
  }
}
