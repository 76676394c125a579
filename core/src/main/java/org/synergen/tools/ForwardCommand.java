package org.synergen.tools;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.synergen.config.ModelConfig;
import org.synergen.io.FormatException;
import org.synergen.io.Npy;
import org.synergen.model.ModelCheckpoint;
import org.synergen.model.SynerGenModel;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code synergen forward}: the text logits of one token sequence, for checking a checkpoint
 * against another implementation (the parity tests compare them with transformers').
 */
@Command(name = "synergen forward", sortOptions = false,
    description = {
        "Loads a checkpoint directory (Hugging Face config.json + model.safetensors of a "
            + "Qwen2ForCausalLM or InternLM2ForCausalLM, or one saved by SynerGen) and writes the "
            + "float32 logits of one text-only token sequence, shape [tokens, vocab], as a NumPy "
            + ".npy file. Positions are 0..tokens-1; F16/BF16 weights are converted to float32 "
            + "on load.",
        "",
        "Exit codes: 0 done; 2 bad input (missing file, unsupported architecture or dtype, "
            + "token id out of range); 1 anything else."})
public final class ForwardCommand implements Callable<Integer> {

  @Option(names = "--checkpoint", required = true, paramLabel = "DIR",
      description = "checkpoint directory with config.json and model.safetensors")
  Path checkpoint;

  @Option(names = "--tokens", required = true, split = ",", paramLabel = "ID[,ID...]",
      hideParamSyntax = true,
      description = "comma-separated token ids, e.g. 1,2,3")
  int[] tokens;

  @Option(names = "--out", required = true, paramLabel = "FILE", description = "output .npy file")
  Path out;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help and exit")
  boolean help;

  /** Bad input the user can fix; reported without a stack trace, exit code 2. */
  static final class UsageError extends Exception {
    UsageError(String message) {
      super(message);
    }
  }

  @Override
  public Integer call() throws Exception {
    ModelCheckpoint.Loaded loaded;
    try {
      loaded = ModelCheckpoint.load(checkpoint);
    } catch (NoSuchFileException e) {
      throw new UsageError(e.getFile() + ": " + (e.getReason() == null ? "not found" : e.getReason()));
    } catch (FormatException e) {
      throw new UsageError(e.getMessage());
    }
    ModelConfig cfg = loaded.config();
    for (int i = 0; i < tokens.length; i++) {
      if (tokens[i] < 0 || tokens[i] >= cfg.vocabSize()) {
        throw new UsageError("token " + i + " is " + tokens[i] + ", outside the vocabulary [0, "
            + cfg.vocabSize() + ") of " + checkpoint);
      }
    }
    SynerGenModel model = SynerGenModel.fromParameters(cfg, loaded.parameters());
    INDArray logits = model.textLogits(tokens);
    try {
      Npy.write(out, logits);
    } catch (IOException e) {
      throw new UsageError("cannot write " + out + ": " + e);
    }
    System.err.printf("%s: %s, %d layers, vocab %d%s -> %s logits [%d, %d]%n", checkpoint,
        cfg.architecture(), cfg.numLayers(), cfg.vocabSize(),
        loaded.imagePartsCreated() ? " (text-only checkpoint; image parts initialised)" : "",
        out, logits.size(0), logits.size(1));
    return 0;
  }

  /** Runs the command; returns the exit code instead of exiting (for tests). */
  public static int run(PrintWriter err, String... args) {
    CommandLine cli = new CommandLine(new ForwardCommand());
    cli.setErr(err);
    cli.setExecutionExceptionHandler((e, line, parseResult) -> {
      if (e instanceof UsageError) {
        line.getErr().println("synergen forward: " + e.getMessage());
        return CommandLine.ExitCode.USAGE;
      }
      throw e;
    });
    return cli.execute(args);
  }

  public static void main(String[] args) {
    System.exit(run(new PrintWriter(System.err, true), args));
  }
}
