package org.synergen.tokenize;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code synergen tokenize}: the tokenize job and its image-tokenizer tools. The Spark run itself
 * (image shards -> token shards) is not built yet; the subcommands work.
 */
@Command(
    name = "synergen tokenize",
    mixinStandardHelpOptions = true,
    description = {
        "Image shards -> VQ ids + text token ids in Parquet token shards (NOT BUILT YET: running",
        "without a subcommand says so and exits 3), plus the image tokenizer's tools below."},
    subcommands = {
        EncodeImageCommand.class,
        DecodeImageCommand.class,
        TrainVqCommand.class,
        EvalVqCommand.class,
        BenchVqCommand.class})
public final class TokenizeJob implements Callable<Integer> {

  /** Exit code of a feature that is not there. */
  static final int NOT_BUILT = 3;

  @Override
  public Integer call() {
    System.err.println("synergen tokenize: the Spark tokenize run (image shards -> token shards) is not"
        + " implemented yet (issue 4); nothing was run. Available now: encode-image, decode-image,"
        + " train-vq, eval-vq, bench-vq (see --help).");
    return NOT_BUILT;
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new TokenizeJob());
    cli.setUsageHelpWidth(110);
    // Bad input the user can fix (missing file, wrong shape): one clear line and exit 1, no trace.
    cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
      if (e instanceof java.io.IOException || e instanceof IllegalArgumentException) {
        cmd.getErr().println(cmd.getCommandSpec().qualifiedName() + ": " + e.getMessage());
        return 1;
      }
      throw e;
    });
    return cli;
  }
}
