package org.synergen.eval;

import org.synergen.eval.cli.ScoreCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** `synergen eval`: benchmark scoring. Generating the model's answers and images is not built yet. */
@Command(name = "synergen eval", mixinStandardHelpOptions = true,
    description = {
        "Benchmark evaluation of SynerGen-VL.",
        "Only scoring exists so far: `score` scores answers, detections, FID statistics or two folders of "
            + "images (FID with a user-provided Inception-v3 file) that were produced elsewhere. Running the "
            + "model to generate answers or images is not implemented yet (a later issue)."},
    subcommands = {ScoreCommand.class})
public final class EvalJob implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "name a subcommand (score)");
  }

  /** Runs the command line and returns the exit code (0 ok, 1 bad input data, 2 usage error). */
  public static int run(String... args) {
    return new CommandLine(new EvalJob())
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
