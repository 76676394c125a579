package org.synergen.ingest;

/** Entry point of the ingest Spark application. Not built yet: it says so and fails. */
public final class IngestJob {
  private IngestJob() {}

  public static void main(String[] args) {
    System.err.println("synergen ingest: this job is not implemented yet (issue 3); nothing was run.");
    System.exit(3);
  }
}
