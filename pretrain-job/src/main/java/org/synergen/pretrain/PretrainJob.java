package org.synergen.pretrain;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code bin/synergen pretrain}: stage-1 / stage-2 alignment pretraining, data-parallel over Spark
 * executors.
 *
 * <p>The data-parallel trainer (org.synergen.train.distributed) is in place and tested with a toy
 * model; the SynerGen-VL model is not plugged into it yet. Until it is, this command checks its
 * arguments and settings, says so and exits 3 without training anything.
 */
@Command(name = "pretrain", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Stage-1 / stage-2 alignment pretraining of SynerGen-VL, data-parallel over Spark executors.",
        "Settings come from conf/stages/stage<N>.conf, then --conf FILE, then key=value arguments.",
        "NOT YET FUNCTIONAL: the SynerGen model adapter is not connected to the trainer; the command",
        "validates its arguments and settings, then exits with status 3 without training."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:finished", "2:bad arguments or settings", "3:the model adapter is not connected yet"})
public final class PretrainJob implements Callable<Integer> {
  static final int NOT_CONNECTED = 3;

  @Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--stage", required = true, paramLabel = "1|2", description = "training stage")
  int stage;

  @Option(names = "--input", required = true, paramLabel = "TOKEN_SHARDS", description = "token shards from the tokenize job (Hadoop path)")
  String input;

  @Option(names = "--init", required = true, paramLabel = "CHECKPOINT",
      description = "starting weights: a HF text-LLM checkpoint (stage 1) or a stage-1 checkpoint (stage 2)")
  String init;

  @Option(names = "--output", required = true, paramLabel = "DIR",
      description = "checkpoints, metrics.jsonl and plots go here (Hadoop path: file://, hdfs://, s3a://)")
  String output;

  @Option(names = "--resume", description = "continue from the newest complete checkpoint in --output")
  boolean resume;

  @Option(names = "--conf", paramLabel = "FILE", description = "HOCON file laid over the stage defaults")
  Path conf;

  @Parameters(paramLabel = "key=value", description = "single settings, e.g. distributed.workers=8 train.lr.peak=2e-4")
  List<String> overrides = new ArrayList<>();

  private final Path home;

  PretrainJob(Path home) {
    this.home = home;
  }

  public static void main(String[] args) {
    System.exit(run(Path.of(System.getProperty("synergen.home", ".")), args));
  }

  static int run(Path home, String... args) {
    return new CommandLine(new PretrainJob(home)).execute(args);
  }

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    PretrainSettings settings;
    try {
      settings = PretrainSettings.fromConfig(load());
    } catch (IllegalArgumentException | ConfigException e) {
      err.println("synergen pretrain: " + e.getMessage());
      return 2;
    }
    if (settings.stage() != stage) {
      err.println("synergen pretrain: --stage " + stage + " but the settings say train.stage = " + settings.stage());
      return 2;
    }
    PrintWriter out = spec.commandLine().getOut();
    out.printf(Locale.ROOT, "stage %d: %d steps = %d rounds of H=%d on %d workers, outer update %s, lr %s %.3g%n",
        stage, settings.steps(), settings.rounds(), settings.distributed().localSteps(), settings.distributed().workers(),
        settings.distributed().outerUpdate().configName(), settings.lr().shape().name().toLowerCase(Locale.ROOT),
        settings.lr().peak());
    err.println("synergen pretrain: the SynerGen model adapter is not connected to the data-parallel trainer yet;"
        + " nothing was trained and nothing was written to " + output + ".");
    return NOT_CONNECTED;
  }

  private Config load() {
    if (stage != 1 && stage != 2) {
      throw new IllegalArgumentException("--stage must be 1 or 2, got " + stage);
    }
    Path stageFile = home.resolve("conf/stages/stage" + stage + ".conf");
    if (!Files.isRegularFile(stageFile)) {
      throw new IllegalArgumentException("the stage defaults " + stageFile.toAbsolutePath()
          + " are missing (run through bin/synergen, or set -Dsynergen.home to the project folder)");
    }
    Config c = ConfigFactory.parseFile(stageFile.toFile());
    if (conf != null) {
      if (!Files.isRegularFile(conf)) {
        throw new IllegalArgumentException("--conf " + conf + ": no such file");
      }
      c = ConfigFactory.parseFile(conf.toFile()).withFallback(c);
    }
    for (int i = overrides.size() - 1; i >= 0; i--) {
      String kv = overrides.get(i);
      if (!kv.contains("=")) {
        throw new IllegalArgumentException("'" + kv + "' is not a key=value setting");
      }
      c = ConfigFactory.parseString(kv).withFallback(c);
    }
    return c.resolve();
  }
}
