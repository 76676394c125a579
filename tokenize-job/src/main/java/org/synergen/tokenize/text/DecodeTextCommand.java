package org.synergen.tokenize.text;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "decode-text",
    mixinStandardHelpOptions = true,
    description = "Token ids -> the decoded text exactly (special tokens kept), then one newline.")
public final class DecodeTextCommand implements Callable<Integer> {
  @Option(names = "--tokenizer", paramLabel = "FILE",
      description = "HF tokenizer.json (missing SynerGen-VL special tokens are appended); default: byte-level")
  Path tokenizer;

  @Option(names = "--ids", required = true, paramLabel = "1,2,3", description = "comma-separated ids")
  String ids;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    int[] parsed;
    try {
      parsed = ids.isBlank() ? new int[0] : Arrays.stream(ids.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
    } catch (NumberFormatException e) {
      spec.commandLine().getErr().println("decode-text: --ids must be comma-separated integers, got '" + ids + "'");
      return 2;
    }
    spec.commandLine().getOut().print(TextTools.tokenizer(tokenizer).decode(parsed, false) + "\n");
    spec.commandLine().getOut().flush();
    return 0;
  }
}
