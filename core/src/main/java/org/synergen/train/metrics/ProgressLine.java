package org.synergen.train.metrics;

import java.util.Locale;

/** The human progress line of a round: where the run is, its loss, its rate, and when it will end. */
public final class ProgressLine {
  private final long totalRounds;
  private final long startRound;
  private final long startNanos = System.nanoTime();

  public ProgressLine(long startRound, long totalRounds) {
    this.startRound = startRound;
    this.totalRounds = totalRounds;
  }

  public String format(RoundMetrics m) {
    double elapsed = (System.nanoTime() - startNanos) * 1e-9;
    long done = m.round() - startRound;
    double eta = done <= 0 ? 0 : elapsed / done * (totalRounds - m.round());
    double wall = m.seconds().wall();
    double comm = wall <= 0 ? 0 : 100 * (m.seconds().broadcast() + m.seconds().aggregate()) / wall;
    String rate = m.tokens() > 0
        ? String.format(Locale.ROOT, "%.0f tok/s", m.tokensPerSec())
        : String.format(Locale.ROOT, "%.1f ex/s", m.examplesPerSec());
    return String.format(Locale.ROOT, "stage %d round %d/%d step %d  loss %.5f  lr %.3g  %s  comm %.0f%%  ETA %s",
        m.stage(), m.round(), totalRounds, m.step(), m.loss(), m.learningRate(), rate, comm, duration(eta));
  }

  /** A duration for humans: 42s, 3m07s, 1h05m. */
  public static String duration(double seconds) {
    long s = Math.round(seconds);
    if (s >= 3600) {
      return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
    }
    return s >= 60 ? String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60) : s + "s";
  }
}
