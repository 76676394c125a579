package org.synergen.eval.run;

import java.io.PrintStream;
import java.util.Locale;
import org.synergen.train.metrics.ProgressLine;

/** The progress line of a long generation: done/total, rate and ETA, at most every few seconds and at the end. */
final class Progress {
  private static final long EVERY_NANOS = 5_000_000_000L;

  private final String what;
  private final String unit;
  private final long total;
  private final PrintStream out;
  private final long start = System.nanoTime();
  private long lastPrinted = Long.MIN_VALUE;

  Progress(String what, String unit, long total, PrintStream out) {
    this.what = what;
    this.unit = unit;
    this.total = total;
    this.out = out;
  }

  synchronized void update(long done) {
    long now = System.nanoTime();
    if (done < total && lastPrinted != Long.MIN_VALUE && now - lastPrinted < EVERY_NANOS) {
      return;
    }
    lastPrinted = now;
    double seconds = (now - start) / 1e9;
    double rate = seconds > 0 ? done / seconds : 0;
    String eta = done >= total ? "done in " + ProgressLine.duration(seconds)
        : rate > 0 ? "ETA " + ProgressLine.duration((total - done) / rate) : "ETA unknown";
    out.printf(Locale.ROOT, "%s: %d/%d %s (%.2f %s/s) %s%n", what, done, total, unit, rate, unit, eta);
  }
}
