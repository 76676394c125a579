package org.synergen.pretrain;

import com.typesafe.config.ConfigException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.synergen.train.stage.StageRunner;
import org.synergen.train.stage.StageSettings;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The command line of the pretrain job (the same under bin/synergen and spark-submit): stage-1 /
 * stage-2 alignment pretraining on core's {@link StageRunner}.
 */
@Command(name = "pretrain", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Stage-1 / stage-2 alignment pretraining of SynerGen-VL, data-parallel over Spark executors.",
        "Settings come from conf/stages/stage<N>.conf, then --conf FILE, then key=value arguments.",
        "Spark runs local[<workers>] unless spark.master is set (e.g. by spark-submit)."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:finished", "1:training failed (non-finite loss, I/O); the last checkpoint is kept",
        "2:bad arguments, settings or input"})
final class PretrainCommand implements Callable<Integer> {
  @Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--stage", required = true, paramLabel = "1|2", description = "training stage")
  int stage;

  @Option(names = "--input", required = true, paramLabel = "TOKEN_SHARDS",
      description = {"token shards of the tokenize job: its output folder or a glob of shard files (file:, hdfs://, s3a://),",
          "or synthetic:N for N made-up rows per task (a smoke test of the machinery: nothing is learned about real images)"})
  String input;

  @Option(names = "--init", required = true, paramLabel = "CHECKPOINT",
      description = {"starting weights: a HF text-LLM checkpoint directory (image parts created as init.vision-from says),",
          "a checkpoint directory of an earlier stage (stage 2 starts from stage 1's; AdamW state starts fresh),",
          "or random:MODEL_CONF (e.g. random:conf/model/tiny.conf): random weights from train.seed, no language",
          "knowledge at all: for tests and the embedded default only"})
  String init;

  @Option(names = "--output", required = true, paramLabel = "DIR",
      description = "checkpoints, metrics.jsonl and plots go here (Hadoop path: file://, hdfs://, s3a://)")
  String output;

  @Option(names = "--resume", description = {"continue from the newest complete checkpoint in --output;",
      "without it, an --output that already holds checkpoints is refused"})
  boolean resume;

  @Option(names = "--conf", paramLabel = "FILE", description = "HOCON file laid over the stage defaults")
  Path conf;

  @Parameters(paramLabel = "key=value", description = "single settings, e.g. distributed.workers=8 train.lr.peak=2e-4")
  List<String> overrides = new ArrayList<>();

  private final Path home;
  private final StageRunner runner;

  PretrainCommand(Path home, StageRunner runner) {
    this.home = home;
    this.runner = runner;
  }

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    StageSettings settings;
    try {
      settings = PretrainSettings.load(home, stage, conf, overrides);
    } catch (IllegalArgumentException | ConfigException e) {
      err.println("synergen pretrain: " + e.getMessage());
      return 2;
    }
    return runner.run(new StageRunner.Request("pretrain", "stage " + stage, settings, init, input, output, resume),
        spec.commandLine().getOut(), err);
  }
}
