package org.synergen.pipeline;

import java.io.IOException;
import java.util.List;

/** Runs one job's main class with its command line and returns its exit code. */
@FunctionalInterface
public interface StageLauncher {
  int run(String mainClass, List<String> args) throws IOException, InterruptedException;
}
