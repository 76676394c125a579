package org.synergen.pretrain;

import java.nio.file.Path;
import org.synergen.spark.QuietLogs;
import org.synergen.train.stage.StageRunner;
import picocli.CommandLine;

/** Entry point of the pretrain Spark application (bin/synergen pretrain, or spark-submit --class). */
public final class PretrainJob {
  private PretrainJob() {}

  public static void main(String[] args) {
    QuietLogs.apply();
    System.exit(run(Path.of(System.getProperty("synergen.home", ".")), args));
  }

  /** @param home the project folder (conf/stages, model files named relative to it) */
  static int run(Path home, String... args) {
    return new CommandLine(new PretrainCommand(home, new StageRunner(home))).execute(args);
  }
}
