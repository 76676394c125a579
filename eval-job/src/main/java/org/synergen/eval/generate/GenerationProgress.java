package org.synergen.eval.generate;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.IntConsumer;

/**
 * A progress line for long generation: units done out of the total, the rate and the time left,
 * printed at most every two seconds and once at the end.
 */
final class GenerationProgress implements IntConsumer {
  private final PrintWriter out;
  private final String what;
  private final String unit;
  private final long total;
  private final long start = System.nanoTime();
  private long lastPrint;

  GenerationProgress(PrintWriter out, String what, String unit, long total) {
    this.out = out;
    this.what = what;
    this.unit = unit;
    this.total = total;
  }

  @Override
  public void accept(int doneInCall) {
    long done = doneInCall;
    long now = System.nanoTime();
    if (done < total && now - lastPrint < 2_000_000_000L) {
      return;
    }
    lastPrint = now;
    double s = (now - start) * 1e-9;
    double rate = s > 0 ? done / s : 0;
    double eta = rate > 0 ? (total - done) / rate : 0;
    out.printf(Locale.ROOT, "%s: %d/%d %s  %.1f %s/s  ETA %.0fs%n", what, done, total, unit, rate, unit, eta);
    out.flush();
  }
}
