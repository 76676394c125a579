package org.synergen.tokenize;

import org.synergen.spark.QuietLogs;
import org.synergen.tokenize.vq.BenchVqCommand;
import org.synergen.tokenize.vq.DecodeImageCommand;
import org.synergen.tokenize.vq.EncodeImageCommand;
import org.synergen.tokenize.vq.EvalVqCommand;
import org.synergen.tokenize.vq.TrainVqCommand;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code synergen tokenize}: the tokenize job (image shards -> token shards on Spark, run when no
 * subcommand is given: {@link TokenizeCommand}) and its image-tokenizer tools.
 */
@Command(
    name = "synergen tokenize",
    mixinStandardHelpOptions = true,
    description = {
        "Without a subcommand: image shards -> Parquet token shards on Spark.",
        "Per image: an understanding sample (tiles -> VQ ids, caption prompt -> caption) and a",
        "generation sample (caption -> one VQ id grid of the whole image; 10%% of captions replaced",
        "by the unconditional prompt, chosen from the key). Failed images keep failure rows.",
        "Defaults: conf/tokenize.conf.",
        "With a subcommand: instruction-tuning conversations -> token shards (conversations), the",
        "image tokenizer's tools, and the text and tiling tools below."},
    exitCodeListHeading = "%nExit codes (job):%n",
    exitCodeList = {"0:done (failure rows are recorded, not errors)", "1:the job failed",
        "2:bad arguments, configuration or input"},
    subcommands = {
        ConversationsCommand.class,
        EncodeImageCommand.class,
        DecodeImageCommand.class,
        TrainVqCommand.class,
        EvalVqCommand.class,
        BenchVqCommand.class,
        org.synergen.tokenize.text.EncodeTextCommand.class,
        org.synergen.tokenize.text.DecodeTextCommand.class,
        org.synergen.tokenize.tiling.TilesCommand.class})
public final class TokenizeJob implements Callable<Integer> {

  @CommandLine.Mixin
  TokenizeCommand job = new TokenizeCommand();

  @Override
  public Integer call() throws Exception {
    return job.run(java.nio.file.Path.of(System.getProperty("synergen.home", ".")));
  }

  public static void main(String[] args) {
    QuietLogs.apply();
    System.exit(commandLine().execute(args));
  }

  static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new TokenizeJob());
    cli.setUsageHelpWidth(110);
    // the text tools print decoded text exactly, whatever the platform's default charset
    cli.setOut(new java.io.PrintWriter(new java.io.OutputStreamWriter(System.out,
        java.nio.charset.StandardCharsets.UTF_8), true));
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
