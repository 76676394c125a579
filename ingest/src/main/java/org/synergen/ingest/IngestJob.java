package org.synergen.ingest;

import org.synergen.spark.QuietLogs;
import picocli.CommandLine;

/** Entry point of the ingest Spark application (bin/synergen ingest, or spark-submit --class). */
public final class IngestJob {
  private IngestJob() {}

  public static void main(String[] args) {
    QuietLogs.apply();
    System.exit(new CommandLine(new IngestCommand()).execute(args));
  }
}
