package org.synergen.pipeline;

import com.typesafe.config.ConfigException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The command line of `synergen pipeline`. */
@Command(
    name = "synergen pipeline",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    version = "synergen pipeline 0.1.0",
    description = "Runs the whole pipeline in one run folder: ingest -> tokenize -> pretrain stage 1 -> stage 2 "
        + "-> sft -> eval run -> eval report, each stage's output the next one's input, each stage a job run "
        + "in a JVM of its own. A stage whose output is complete is skipped, so running the same command again "
        + "resumes. sft runs where its job and `tokenize conversations` are built; otherwise the pipeline says "
        + "so and evaluates the stage-2 checkpoint. Ends with the report's path.%n%n"
        + "The run folder's pipeline.json names the pipeline (pipeline.name and a digest of its settings); "
        + "a folder of another pipeline, or a non-empty folder without one, is refused.%n",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:done", "1:a stage failed (named in the message; its output is kept for the resume)",
        "2:bad arguments, settings or input (before any stage starts, or a stage's own bad input)"})
public final class PipelineCommand implements Callable<Integer> {
  @Option(names = "--conf", paramLabel = "FILE",
      description = "the pipeline's settings (default: conf/pipeline.conf in the project folder)")
  Path conf;

  @Option(names = "--output", paramLabel = "DIR", description = "the run folder (default: runs/<pipeline.name>)")
  Path output;

  @Option(names = "--stages", paramLabel = "NAME", split = ",",
      description = "run only these stages (same as pipeline.stages): ingest, tokenize, stage1, stage2, sft, eval,"
          + " report")
  List<String> stages;

  @Parameters(paramLabel = "key=value", arity = "0..*",
      description = "setting overrides, e.g. pipeline.pretrain.steps=32 pipeline.eval.limit=8")
  List<String> overrides = new ArrayList<>();

  private final Path home;
  private final StageLauncher launcher;

  /** @param home the project folder: where the default conf is, and where every stage runs */
  PipelineCommand(Path home, StageLauncher launcher) {
    this.home = home;
    this.launcher = launcher;
  }

  @Override
  public Integer call() throws Exception {
    PrintStream log = System.out;
    PipelineSettings settings;
    Path runDir;
    try {
      List<String> all = new ArrayList<>(overrides);
      if (stages != null) {
        all.add("pipeline.stages=" + quotedList(stages));
      }
      settings = PipelineSettings.from(PipelineSettings.load(conf != null ? conf : home.resolve("conf/pipeline.conf"),
          all));
      runDir = (output != null ? output : home.resolve("runs").resolve(settings.name())).toAbsolutePath().normalize();
      RunManifest.claim(runDir, settings);
    } catch (ConfigException | IllegalArgumentException e) {
      System.err.println("synergen pipeline: " + e.getMessage());
      return 2;
    }
    log.println("pipeline: '" + settings.name() + "' (settings " + settings.identity().substring(0, 12) + ") in "
        + runDir + "; stages " + settings.stages().stream().map(Stage::configName).toList());
    try {
      Optional<Path> report = new Pipeline(settings, runDir, launcher, log).run();
      log.println("pipeline: done; " + report.map(r -> "report: " + r).orElse("outputs in " + runDir));
      return 0;
    } catch (Pipeline.StageFailed e) {
      System.err.println("synergen pipeline: " + e.getMessage());
      return e.exitCode();
    }
  }

  private static String quotedList(List<String> names) {
    List<String> quoted = new ArrayList<>();
    for (String n : names) {
      quoted.add("\"" + n.replace("\\", "\\\\").replace("\"", "\\\"") + "\"");
    }
    return "[" + String.join(",", quoted) + "]";
  }
}
