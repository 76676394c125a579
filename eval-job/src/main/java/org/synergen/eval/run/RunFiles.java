package org.synergen.eval.run;

import java.nio.file.Path;

/**
 * What `eval run` writes into its RUN_DIR, and `eval report` reads back:
 * {@code run.json} (what ran, on what, how long), {@code score.json} (the `eval score` report),
 * for QA tasks {@code predictions.jsonl} + {@code ground_truth.jsonl} (the files `eval score --pred
 * --gt` reads), for drawing tasks {@code images/} and {@code samples.jsonl} (one line per image:
 * file relative to RUN_DIR, prompt, index, sample, seed).
 */
public final class RunFiles {
  public static final String RUN = "run.json";
  public static final String SCORE = "score.json";
  public static final String PREDICTIONS = "predictions.jsonl";
  public static final String GROUND_TRUTH = "ground_truth.jsonl";
  public static final String SAMPLES = "samples.jsonl";
  public static final String IMAGES = "images";

  private RunFiles() {}

  public static boolean isRun(Path dir) {
    return java.nio.file.Files.isRegularFile(dir.resolve(RUN));
  }
}
