package org.synergen.sft;

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
 * The command line of the sft job (the same under bin/synergen and spark-submit): instruction
 * tuning of every parameter on conversation token shards, on core's {@link StageRunner} (the
 * trainer pretrain runs).
 */
@Command(name = "sft", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Instruction tuning (SFT) of SynerGen-VL: every parameter trains, data-parallel over Spark executors.",
        "The text loss falls where the token shards' text_loss says: on the assistant's answers, in the shards",
        "of `tokenize conversations`.",
        "Settings come from conf/stages/sft.conf, then --conf FILE, then key=value arguments.",
        "Spark runs local[<workers>] unless spark.master is set (e.g. by spark-submit)."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:finished", "1:training failed (non-finite loss, I/O); the last checkpoint is kept",
        "2:bad arguments, settings or input"})
final class SftCommand implements Callable<Integer> {
  @Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--init", required = true, paramLabel = "STAGE2_CHECKPOINT",
      description = {"starting weights: a checkpoint directory of stage 2 (its AdamW state starts fresh);",
          "also any SynerGen or HF text-LLM checkpoint directory (image parts created as init.vision-from says),",
          "or random:MODEL_CONF (e.g. random:conf/model/tiny.conf): random weights from train.seed, for tests only"})
  String init;

  @Option(names = "--input", required = true, paramLabel = "TOKEN_SHARDS",
      description = {"token shards of `tokenize conversations`: its output folder or a glob of shard files",
          "(file:, hdfs://, s3a://); both tasks are needed (und: text answers, gen: image answers),",
          "or synthetic:N for N made-up rows per task (a smoke test of the machinery)"})
  String input;

  @Option(names = "--output", required = true, paramLabel = "DIR",
      description = "checkpoints, metrics.jsonl and plots go here (Hadoop path: file://, hdfs://, s3a://)")
  String output;

  @Option(names = "--resume", description = {"continue from the newest complete checkpoint in --output;",
      "without it, an --output that already holds checkpoints is refused"})
  boolean resume;

  @Option(names = "--conf", paramLabel = "FILE", description = "HOCON file laid over conf/stages/sft.conf")
  Path conf;

  @Parameters(paramLabel = "key=value", description = "single settings, e.g. distributed.workers=8 train.lr.peak=2e-5")
  List<String> overrides = new ArrayList<>();

  private final Path home;
  private final StageRunner runner;

  SftCommand(Path home, StageRunner runner) {
    this.home = home;
    this.runner = runner;
  }

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    StageSettings settings;
    try {
      settings = SftSettings.load(home, conf, overrides);
    } catch (IllegalArgumentException | ConfigException e) {
      err.println("synergen sft: " + e.getMessage());
      return 2;
    }
    return runner.run(new StageRunner.Request("sft", "sft", settings, init, input, output, resume),
        spec.commandLine().getOut(), err);
  }
}
