package org.synergen.pipeline;

import java.nio.file.Path;
import picocli.CommandLine;

/** Entry point of `synergen pipeline` (bin/synergen pipeline). */
public final class PipelineJob {
  private PipelineJob() {}

  public static void main(String[] args) {
    System.exit(run(Path.of(System.getProperty("synergen.home", ".")).toAbsolutePath().normalize(), args));
  }

  static int run(Path home, String... args) {
    return new CommandLine(new PipelineCommand(home, new JavaProcess(home))).execute(args);
  }
}
