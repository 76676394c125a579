package org.synergen.eval;

import org.synergen.eval.cli.ScoreCommand;
import org.synergen.eval.report.ReportCommand;
import org.synergen.eval.run.GeneratorFactory;
import org.synergen.eval.run.RunCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** `synergen eval`: benchmark runs (the model answers and draws), scoring, and the report page. */
@Command(name = "synergen eval", mixinStandardHelpOptions = true,
    description = {
        "Benchmark evaluation of SynerGen-VL.",
        "`run` generates a checkpoint's answers (TextVQA, DocVQA, ChartQA, InfoVQA, GQA, POPE, MME) or images "
            + "(GenEval, FID) from the benchmark's own files and scores them; `score` scores answers, detections, "
            + "FID statistics or image folders produced elsewhere; `report` writes one HTML page and a Markdown "
            + "file of a run's scores beside the paper's, with the generated images."},
    subcommands = {RunCommand.class, ScoreCommand.class, ReportCommand.class})
public final class EvalJob implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "name a subcommand (run, score, report)");
  }

  /**
   * Runs the command line and returns the exit code (0 ok; `score`: 1 bad input data, 2 usage error;
   * `run`: 2 bad input or usage; 1 other failures).
   */
  public static int run(String... args) {
    return run(null, args);
  }

  /** As {@link #run(String...)}, with `eval run` taking its model from {@code generators} (null: the built-in one). */
  public static int run(GeneratorFactory generators, String... args) {
    CommandLine.IFactory defaults = CommandLine.defaultFactory();
    CommandLine.IFactory factory = new CommandLine.IFactory() {
      @Override
      public <K> K create(Class<K> type) throws Exception {
        return generators != null && type == RunCommand.class ? type.cast(new RunCommand(generators)) : defaults.create(type);
      }
    };
    return new CommandLine(new EvalJob(), factory)
        .setExecutionExceptionHandler((e, cmd, parsed) -> {
          // I/O and other failures: one clear line, not a stack trace
          cmd.getErr().println("synergen eval: " + e.getMessage());
          return 1;
        })
        .execute(args);
  }

  public static void main(String[] args) {
    System.exit(run(args));
  }
}
