package org.synergen.sft;

import java.nio.file.Path;
import org.synergen.spark.QuietLogs;
import org.synergen.train.stage.StageRunner;
import picocli.CommandLine;

/** Entry point of the sft Spark application (bin/synergen sft, or spark-submit --class). */
public final class SftJob {
  private SftJob() {}

  public static void main(String[] args) {
    QuietLogs.apply();
    System.exit(run(Path.of(System.getProperty("synergen.home", ".")), args));
  }

  /** @param home the project folder (conf/stages/sft.conf, model files named relative to it) */
  static int run(Path home, String... args) {
    return new CommandLine(new SftCommand(home, new StageRunner(home))).execute(args);
  }
}
