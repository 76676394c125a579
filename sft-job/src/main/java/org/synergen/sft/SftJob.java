package org.synergen.sft;

/** Entry point of the sft-job Spark application. Not built yet: it says so and fails. */
public final class SftJob {
  private SftJob() {}

  public static void main(String[] args) {
    System.err.println("synergen sft: this job is not implemented yet (issue (not filed yet)); nothing was run.");
    System.exit(3);
  }
}
