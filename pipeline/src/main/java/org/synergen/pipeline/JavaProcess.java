package org.synergen.pipeline;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts a job's main class in a JVM of its own, as bin/synergen and spark-submit do: the same
 * classpath and JVM options as this JVM (heap, off-heap caps, module openings, synergen.home), in
 * the project folder, writing to this process's terminal.
 *
 * <p>One JVM per stage rather than all in this one: each job then owns its Spark session (pretrain
 * starts its own {@code local[workers]} context, which cannot share a JVM with another running
 * context), frees its ND4J off-heap memory when it ends, and reports through its exit code exactly
 * as under spark-submit and the Airflow DAG; the pipeline depends only on the jobs' command lines.
 */
public final class JavaProcess implements StageLauncher {
  private final Path workingDir;

  /** @param workingDir the project folder; relative paths in the settings start there */
  public JavaProcess(Path workingDir) {
    this.workingDir = workingDir;
  }

  @Override
  public int run(String mainClass, List<String> args) throws java.io.IOException, InterruptedException {
    Process p = new ProcessBuilder(command(mainClass, args)).directory(workingDir.toFile()).inheritIO().start();
    try {
      return p.waitFor();
    } finally {
      p.destroy();
    }
  }

  /** The command line that runs {@code mainClass} like this JVM. */
  public static List<String> command(String mainClass, List<String> args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(mainClass);
    cmd.addAll(args);
    return cmd;
  }
}
