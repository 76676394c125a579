package org.synergen.ingest.bench;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.spark.sql.SparkSession;
import org.synergen.ingest.IngestPipeline;
import org.synergen.ingest.IngestSettings;
import org.synergen.ingest.image.ImageProcessor;
import org.synergen.ingest.output.JobSummary;
import org.synergen.ingest.output.ShardStats;
import org.synergen.ingest.output.Json;
import org.synergen.data.ImageShard;

/**
 * Throughput of the fetch phase (download + decode + resize + JPEG encode + Parquet write) with
 * the images served over loopback, so the network is out of the picture and the number is the
 * job's own per-core cost. Images: the bundled sample photos (at most 512 px), served under N
 * distinct URLs. Dedup is off (it is a separate, hash-only pass).
 *
 * <pre>ingest/bench/ingest-bench.sh [images (2000)] [cores (all)] [size (256)]</pre>
 */
public final class IngestBenchmark {
  private IngestBenchmark() {}

  /** Milliseconds per image for the CPU part alone, on one thread, after a warm-up. */
  private static double processingCost(List<byte[]> images, int size) throws Exception {
    ImageProcessor p = new ImageProcessor(IngestSettings.from(IngestSettings.load(null,
        List.of("ingest.image.size=" + size))).image());
    for (int i = 0; i < 3 * images.size(); i++) {
      p.process(images.get(i % images.size()));
    }
    int reps = 10 * images.size();
    long t0 = System.nanoTime();
    for (int i = 0; i < reps; i++) {
      p.process(images.get(i % images.size()));
    }
    return (System.nanoTime() - t0) / 1e6 / reps;
  }

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
    int cores = args.length > 1 ? Integer.parseInt(args[1]) : Runtime.getRuntime().availableProcessors();
    int size = args.length > 2 ? Integer.parseInt(args[2]) : 256;
    Path sample = Path.of(System.getProperty("synergen.home", "."), "data", "sample", "images");
    List<byte[]> images = new ArrayList<>();
    try (var files = Files.list(sample)) {
      for (Path p : files.sorted().toList()) {
        images.add(Files.readAllBytes(p));
      }
    }
    if (images.isEmpty()) {
      System.err.println("no images in " + sample + " (run from the repository root)");
      System.exit(2);
    }
    double cpuMs = processingCost(images, size);
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
    server.setExecutor(Executors.newFixedThreadPool(8));
    server.createContext("/", ex -> {
      String p = ex.getRequestURI().getPath();
      int i = Integer.parseInt(p.substring(p.lastIndexOf('/') + 1, p.indexOf('.')));
      byte[] body = images.get(i % images.size());
      ex.getResponseHeaders().set("Content-Type", "image/jpeg");
      ex.sendResponseHeaders(200, body.length);
      try (OutputStream o = ex.getResponseBody()) {
        o.write(body);
      }
      ex.close();
    });
    server.start();
    Path dir = Files.createTempDirectory("ingest-bench");
    try {
      Path meta = dir.resolve("meta.csv");
      StringBuilder csv = new StringBuilder("url,caption\n");
      for (int i = 0; i < n; i++) {
        csv.append("http://127.0.0.1:").append(server.getAddress().getPort()).append("/img/")
            .append(i).append(".jpg,image ").append(i).append('\n');
      }
      Files.writeString(meta, csv);
      int perShard = Math.max(1, n / (cores * 4));
      IngestSettings s = IngestSettings.from(IngestSettings.load(null, List.of(
          "ingest.fetch.allow-private=true", "ingest.dedup.exact=false", "ingest.dedup.near=false",
          "ingest.image.size=" + size, "ingest.output.samples-per-shard=" + perShard,
          "ingest.progress-interval=10s")));
      SparkSession spark = SparkSession.builder().master("local[" + cores + "]")
          .appName("ingest-bench").config("spark.ui.enabled", "false").getOrCreate();
      spark.sparkContext().setLogLevel("WARN");
      Configurator.setLevel("org.synergen", Level.WARN);
      Path out = dir.resolve("out");
      JobSummary summary = IngestPipeline.run(spark, meta.toString(), out.toString(), s);
      // the fetch phase's wall time, from the shards' own start/end times
      double start = Double.MAX_VALUE;
      double end = 0;
      double fetch = 0;
      double process = 0;
      org.apache.hadoop.conf.Configuration conf = spark.sparkContext().hadoopConfiguration();
      for (int i = 0; i < summary.shards(); i++) {
        ShardStats st = Json.read(new org.apache.hadoop.fs.Path(out.resolve(ImageShard.statsName(i)).toUri()),
            ShardStats.class, conf);
        start = Math.min(start, st.startTime());
        end = Math.max(end, st.endTime());
        fetch += st.fetchSeconds();
        process += st.processSeconds();
      }
      double wall = end - start;
      double rate = summary.successes() / wall;
      System.out.printf("%n| images | size | cores | success | fetch-phase wall s | images/s | images/s/core | decode+resize+encode ms/image | whole job s |%n");
      System.out.printf("|---|---|---|---|---|---|---|---|---|%n");
      System.out.printf("| %d | %d | %d | %d | %.1f | %.0f | %.0f | %.1f | %.1f |%n", n, size, cores,
          summary.successes(), wall, rate, rate / cores, 1000 * process / summary.count(),
          summary.duration());
      System.out.printf("one thread, no Spark, no network: decode + resize + encode + hashes = %.1f ms/image"
          + " (= %.0f images/s/core)%n", cpuMs, 1000 / cpuMs);
      System.out.printf("img2dataset (published): ~1350 images/s on 16 cores = ~84 images/s/core, network-bound%n");
      spark.stop();
    } finally {
      server.stop(0);
      try (var walk = Files.walk(dir)) {
        walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
