package org.synergen.tokenize;

/** Entry point of the tokenize-job Spark application. Not built yet: it says so and fails. */
public final class TokenizeJob {
  private TokenizeJob() {}

  public static void main(String[] args) {
    System.err.println("synergen tokenize: this job is not implemented yet (issue 4); nothing was run.");
    System.exit(3);
  }
}
