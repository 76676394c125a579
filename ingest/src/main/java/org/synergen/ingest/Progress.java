package org.synergen.ingest;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.AccumulableInfo;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorMetricsUpdate;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.util.LongAccumulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple4;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Logs a progress line at a fixed interval: rows done, rate, success ratio, ETA. Running tasks'
 * counts reach the driver with executor heartbeats, so the line moves while shards are still
 * being downloaded, not only when one finishes.
 */
final class Progress extends SparkListener implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Progress.class);

  private final SparkContext sc;
  private final LongAccumulator done;
  private final LongAccumulator ok;
  private final long total;
  private final long skipped;
  private final long startNanos = System.nanoTime();
  /** task id -> {rows, successes} as last reported by a heartbeat, for running tasks. */
  private final Map<Long, long[]> live = new ConcurrentHashMap<>();
  private final ScheduledExecutorService timer;

  /** @param skipped rows of shards that an earlier run completed (counted as done, not timed) */
  Progress(SparkContext sc, LongAccumulator done, LongAccumulator ok, long total, long skipped,
      Duration interval) {
    this.sc = sc;
    this.done = done;
    this.ok = ok;
    this.total = total;
    this.skipped = skipped;
    sc.addSparkListener(this);
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "ingest-progress");
      t.setDaemon(true);
      return t;
    });
    long ms = Math.max(100, interval.toMillis());
    timer.scheduleAtFixedRate(this::log, ms, ms, TimeUnit.MILLISECONDS);
  }

  @Override
  public void onExecutorMetricsUpdate(SparkListenerExecutorMetricsUpdate update) {
    for (Tuple4<Object, Object, Object, scala.collection.immutable.Seq<AccumulableInfo>> t :
        CollectionConverters.asJava(update.accumUpdates())) {
      long rows = -1;
      long good = 0;
      for (AccumulableInfo info : CollectionConverters.asJava(t._4())) {
        if (info.update().isEmpty()) {
          continue;
        }
        if (info.id() == done.id()) {
          rows = ((Number) info.update().get()).longValue();
        } else if (info.id() == ok.id()) {
          good = ((Number) info.update().get()).longValue();
        }
      }
      if (rows >= 0) {
        live.put((Long) t._1(), new long[] {rows, good});
      }
    }
  }

  @Override
  public void onTaskEnd(SparkListenerTaskEnd end) {
    live.remove(end.taskInfo().taskId());
  }

  /** The current line (also logged by the timer). */
  String line() {
    long rows = done.value();
    long good = ok.value();
    for (long[] v : live.values()) {
      rows += v[0];
      good += v[1];
    }
    double secs = (System.nanoTime() - startNanos) / 1e9;
    double rate = rows / Math.max(secs, 1e-9);
    long left = Math.max(0, total - skipped - rows);
    String eta = rate > 0 ? formatSeconds(left / rate) : "?";
    return String.format("progress: %d/%d rows (%d from an earlier run), %.1f rows/s, "
        + "success %.1f%%, ETA %s", rows + skipped, total, skipped, rate,
        rows == 0 ? 0.0 : 100.0 * good / rows, eta);
  }

  private void log() {
    LOG.info(line());
  }

  private static String formatSeconds(double s) {
    long t = Math.round(s);
    return String.format("%d:%02d:%02d", t / 3600, t / 60 % 60, t % 60);
  }

  @Override
  public void close() {
    timer.shutdownNow();
    sc.removeSparkListener(this);
    log();
  }
}
