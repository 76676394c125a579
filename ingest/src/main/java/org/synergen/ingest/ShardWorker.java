package org.synergen.ingest;

import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.util.LongAccumulator;
import org.synergen.data.ExtraColumn;
import org.synergen.data.ImageShard;
import org.synergen.data.ImageShardRow;
import org.synergen.data.ImageShardWriter;
import org.synergen.ingest.fetch.FetchFailure;
import org.synergen.ingest.fetch.Fetcher;
import org.synergen.ingest.image.ImageProcessor;
import org.synergen.ingest.image.ImageRejected;
import org.synergen.ingest.image.ImageWorkers;
import org.synergen.ingest.image.ProcessedImage;
import org.synergen.ingest.input.SourceRow;
import org.synergen.ingest.output.Json;
import org.synergen.ingest.output.KeyFormat;
import org.synergen.ingest.output.OutputLayout;
import org.synergen.ingest.output.ShardStats;
import org.synergen.io.hadoop.HadoopConf;
import scala.Tuple2;

/**
 * Phase 1 for one shard, inside a Spark task: download its rows on the task's own download threads
 * (they mostly wait on the network), process them on the JVM's {@link ImageWorkers} (one per
 * core), write them in key order to {@code _fetched/NNNNN.parquet}, then its stats (which mark the
 * shard complete). Every row comes out, as a success or with its failure status and message.
 */
final class ShardWorker implements Serializable {
  private final IngestSettings settings;
  private final List<ExtraColumn> extras;
  private final String baseDir;
  private final Map<String, String> hadoop;
  private final OutputLayout layout;
  private final KeyFormat keys;
  private final LongAccumulator rowsDone;
  private final LongAccumulator successes;

  ShardWorker(IngestSettings settings, List<ExtraColumn> extras, String baseDir,
      Map<String, String> hadoop, OutputLayout layout, KeyFormat keys, LongAccumulator rowsDone,
      LongAccumulator successes) {
    this.settings = settings;
    this.extras = extras;
    this.baseDir = baseDir;
    this.hadoop = hadoop;
    this.layout = layout;
    this.keys = keys;
    this.rowsDone = rowsDone;
    this.successes = successes;
  }

  /** One row's download: its bytes or why there are none, and how long it took. */
  private record Download(SourceRow row, byte[] data, FetchFailure failure, long fetchNanos) {}

  /** One row's result and what it cost. */
  private record Outcome(ImageShardRow row, String cause, long bytes, long fetchNanos,
      long processNanos) {}

  Iterator<ShardStats> run(Iterator<Tuple2<Integer, SourceRow>> partition) throws Exception {
    List<SourceRow> rows = new ArrayList<>();
    partition.forEachRemaining(t -> rows.add(t._2()));
    if (rows.isEmpty()) {
      return List.<ShardStats>of().iterator();
    }
    rows.sort(Comparator.comparingLong(SourceRow::index));
    int shard = keys.shardOf(rows.get(0).index());
    Configuration conf = HadoopConf.rebuild(hadoop);
    double start = System.currentTimeMillis() / 1000.0;
    ShardStats.StatusCounter counter = new ShardStats.StatusCounter();
    long bytes = 0;
    long fetchNanos = 0;
    long processNanos = 0;
    ImageProcessor processor = new ImageProcessor(settings.image());
    ExecutorService downloads = Executors.newFixedThreadPool(settings.fetch().threads());
    ImageShardWriter writer = new ImageShardWriter(layout.fetchedShard(shard), extras, conf);
    try (Fetcher fetcher = new Fetcher(settings.fetch(), baseDir, hadoop)) {
      // a sliding window keeps output in key order while holding only a few results in memory
      ArrayDeque<Future<Outcome>> window = new ArrayDeque<>();
      int next = 0;
      int ahead = settings.fetch().threads() * 2;
      while (next < rows.size() || !window.isEmpty()) {
        while (next < rows.size() && window.size() < ahead) {
          SourceRow r = rows.get(next++);
          window.add(CompletableFuture.supplyAsync(() -> download(r, fetcher), downloads)
              .thenApplyAsync(d -> outcome(d, processor), ImageWorkers.pool()));
        }
        Outcome o = window.poll().get();
        writer.write(o.row());
        counter.add(o.row().status(), o.cause());
        bytes += o.bytes();
        fetchNanos += o.fetchNanos();
        processNanos += o.processNanos();
        rowsDone.add(1);
        if (ImageShard.SUCCESS.equals(o.row().status())) {
          successes.add(1);
        }
      }
      writer.close();
    } catch (ExecutionException e) {
      writer.abort();
      throw e.getCause() instanceof Exception c ? c : e;
    } catch (Exception | Error e) {
      writer.abort();
      throw e;
    } finally {
      downloads.shutdownNow();
    }
    ShardStats stats = counter.toStats(shard, bytes, start, System.currentTimeMillis() / 1000.0,
        fetchNanos / 1e9, processNanos / 1e9);
    Json.write(layout.fetchedStats(shard), stats, conf);
    return List.of(stats).iterator();
  }

  private static Download download(SourceRow r, Fetcher fetcher) {
    long t0 = System.nanoTime();
    try {
      return new Download(r, fetcher.fetch(r.url()), null, System.nanoTime() - t0);
    } catch (FetchFailure f) {
      return new Download(r, null, f, System.nanoTime() - t0);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CompletionException(e);
    }
  }

  private Outcome outcome(Download d, ImageProcessor processor) {
    SourceRow r = d.row();
    String key = keys.key(r.index());
    if (d.failure() != null) {
      FetchFailure f = d.failure();
      return new Outcome(failed(key, r, ImageShard.FAILED_TO_DOWNLOAD, f.getMessage(), null, null),
          f.reason(), 0, d.fetchNanos(), 0);
    }
    byte[] data = d.data();
    long t1 = System.nanoTime();
    try {
      ProcessedImage p = processor.process(data);
      ImageShardRow row = new ImageShardRow(key, r.url(), r.caption(), ImageShard.SUCCESS, null,
          p.width(), p.height(), p.originalWidth(), p.originalHeight(), p.sha256(), p.jpgSha256(), p.phash(),
          null, p.jpeg(), r.extras());
      return new Outcome(row, ImageShard.SUCCESS, data.length, d.fetchNanos(), System.nanoTime() - t1);
    } catch (ImageRejected e) {
      Integer ow = e.originalWidth() > 0 ? e.originalWidth() : null;
      Integer oh = e.originalHeight() > 0 ? e.originalHeight() : null;
      return new Outcome(failed(key, r, ImageShard.FAILED_TO_RESIZE, e.getMessage(), ow, oh),
          e.reason(), data.length, d.fetchNanos(), System.nanoTime() - t1);
    }
  }

  private static ImageShardRow failed(String key, SourceRow r, String status, String message,
      Integer originalWidth, Integer originalHeight) {
    return new ImageShardRow(key, r.url(), r.caption(), status, message, null, null,
        originalWidth, originalHeight, null, null, null, null, null, r.extras());
  }
}
