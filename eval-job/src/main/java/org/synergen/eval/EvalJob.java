package org.synergen.eval;

/** Entry point of the eval-job Spark application. Not built yet: it says so and fails. */
public final class EvalJob {
  private EvalJob() {}

  public static void main(String[] args) {
    System.err.println("synergen eval: this job is not implemented yet (issue 6); nothing was run.");
    System.exit(3);
  }
}
