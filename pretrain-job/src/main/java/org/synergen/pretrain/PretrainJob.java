package org.synergen.pretrain;

/** Entry point of the pretrain-job Spark application. Not built yet: it says so and fails. */
public final class PretrainJob {
  private PretrainJob() {}

  public static void main(String[] args) {
    System.err.println("synergen pretrain: this job is not implemented yet (issue 5); nothing was run.");
    System.exit(3);
  }
}
