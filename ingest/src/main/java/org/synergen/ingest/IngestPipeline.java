package org.synergen.ingest;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.LongAccumulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.synergen.data.ImageShard;
import org.synergen.ingest.dedup.Deduplicator;
import org.synergen.ingest.input.InputReader;
import org.synergen.ingest.input.Source;
import org.synergen.ingest.input.SourceRow;
import org.synergen.ingest.output.JobRecord;
import org.synergen.ingest.output.JobSummary;
import org.synergen.ingest.output.Json;
import org.synergen.ingest.output.KeyFormat;
import org.synergen.ingest.output.OutputLayout;
import org.synergen.ingest.output.ShardStats;
import org.synergen.io.hadoop.HadoopConf;
import org.synergen.io.hadoop.HadoopPaths;
import scala.Tuple2;

/**
 * The ingest job on a given Spark session, in three phases:
 * <ol>
 *   <li>fetch: one task per shard downloads, validates, resizes and writes {@code _fetched/};
 *       shards an earlier run completed are skipped, partial ones redone;</li>
 *   <li>dedup: one job-wide Spark SQL pass over hashes only finds duplicates;</li>
 *   <li>finish: each shard is copied to the output with its duplicates marked, then the summary
 *       is written and the staging folders removed.</li>
 * </ol>
 */
public final class IngestPipeline {
  private static final Logger LOG = LoggerFactory.getLogger(IngestPipeline.class);

  private IngestPipeline() {}

  public static JobSummary run(SparkSession spark, String input, String output, IngestSettings s)
      throws IOException {
    long start = System.nanoTime();
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    HashMap<String, String> hadoop = HadoopConf.snapshot(conf);
    OutputLayout layout = new OutputLayout(HadoopPaths.qualify(output, conf).toString());
    Source source = InputReader.read(spark, input, s.input());
    // a source that does not know its size is counted first and kept for the fetch
    JavaRDD<SourceRow> rows = source.size() >= 0 ? source.rows()
        : source.rows().persist(StorageLevel.MEMORY_AND_DISK());
    try {
      long total = source.size() >= 0 ? source.size() : rows.count();
      int shards = (int) ((total + s.samplesPerShard() - 1) / s.samplesPerShard());
      KeyFormat keys = KeyFormat.of(shards, s.samplesPerShard());
      JobRecord job = new JobRecord(HadoopPaths.qualify(input, conf).toString(), total,
          s.samplesPerShard(), s.image().toString(), s.dedup().toString());
      checkSameJob(layout, job, conf);
      if (HadoopPaths.exists(layout.summary(), conf)) {
        LOG.info("{} is already complete; nothing to do", layout.root());
        return Json.read(layout.summary(), JobSummary.class, conf);
      }
      LOG.info("ingest: {} rows from {} -> {} shards of {} in {}", total, source.description(),
          shards, s.samplesPerShard(), layout.root());

      Set<Integer> fetchedBefore = completeShards(layout.fetchedDir(), conf);
      fetchedBefore.removeIf(shard -> shard >= shards);
      fetch(spark, s, source, rows, layout, keys, hadoop, fetchedBefore, total);
      long marked = Deduplicator.run(spark, layout, keys, s.dedup());
      LOG.info("dedup: {} rows marked as duplicates", marked);
      List<ShardStats> stats = finish(spark, layout, hadoop, s, shards);

      JobSummary summary = JobSummary.of(input, layout.root(), stats, fetchedBefore.size(),
          (System.nanoTime() - start) / 1e9);
      Json.write(layout.summary(), summary, conf);
      HadoopPaths.deleteRecursively(layout.fetchedDir(), conf);
      HadoopPaths.deleteRecursively(layout.dedupDir(), conf);
      LOG.info("ingest done: {}", summary.oneLine());
      return summary;
    } finally {
      rows.unpersist(false);
    }
  }

  private static void fetch(SparkSession spark, IngestSettings s, Source source,
      JavaRDD<SourceRow> rows, OutputLayout layout, KeyFormat keys, HashMap<String, String> hadoop,
      Set<Integer> done, long total) {
    List<Integer> todo = new ArrayList<>();
    long shardCount = (total + s.samplesPerShard() - 1) / s.samplesPerShard();
    long skippedRows = 0;
    for (int i = 0; i < shardCount; i++) {
      if (done.contains(i)) {
        skippedRows += Math.min(s.samplesPerShard(), total - (long) i * s.samplesPerShard());
      } else {
        todo.add(i);
      }
    }
    if (!done.isEmpty()) {
      LOG.info("resume: {} shards already fetched, {} to do", done.size(), todo.size());
    }
    if (todo.isEmpty()) {
      return;
    }
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    LongAccumulator rowsDone = jsc.sc().longAccumulator("ingest rows");
    LongAccumulator successes = jsc.sc().longAccumulator("ingest successes");
    ShardWorker worker = new ShardWorker(s, source.extras(), source.baseDir(), hadoop, layout,
        keys, rowsDone, successes);
    HashSet<Integer> skip = new HashSet<>(done);
    try (Progress progress = new Progress(spark.sparkContext(), rowsDone, successes, total,
        skippedRows, s.progressInterval())) {
      jsc.setJobDescription("ingest: fetch " + todo.size() + " shards");
      rows.filter(r -> !skip.contains(keys.shardOf(r.index())))
          .mapToPair(r -> new Tuple2<>(keys.shardOf(r.index()), r))
          .partitionBy(new ShardPartitioner(todo))
          .mapPartitions(worker::run)
          .count();
    }
  }

  private static List<ShardStats> finish(SparkSession spark, OutputLayout layout,
      HashMap<String, String> hadoop, IngestSettings s, int shards) {
    List<Integer> all = new ArrayList<>();
    for (int i = 0; i < shards; i++) {
      all.add(i);
    }
    if (all.isEmpty()) {
      return List.of();
    }
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    jsc.setJobDescription("ingest: write " + shards + " shards");
    ShardFinalizer finalizer = new ShardFinalizer(layout, hadoop, s.dedup().phashThreshold());
    int slices = Math.min(shards, Math.max(1, jsc.defaultParallelism() * 4));
    return jsc.parallelize(all, slices).map(finalizer::finish).collect();
  }

  /** Shards of {@code dir} whose stats file exists (written last, so the shard is complete). */
  private static Set<Integer> completeShards(Path dir, Configuration conf) throws IOException {
    Set<Integer> done = new HashSet<>();
    for (FileStatus f : HadoopPaths.listFiles(dir, conf)) {
      String n = f.getPath().getName();
      if (n.endsWith("_stats.json")) {
        int shard = Integer.parseInt(n.substring(0, n.indexOf('_')));
        if (HadoopPaths.exists(new Path(dir, ImageShard.parquetName(shard)), conf)) {
          done.add(shard);
        }
      }
    }
    return done;
  }

  private static void checkSameJob(OutputLayout layout, JobRecord job, Configuration conf)
      throws IOException {
    if (HadoopPaths.exists(layout.job(), conf)) {
      String conflict = Json.read(layout.job(), JobRecord.class, conf).conflictWith(job);
      if (conflict != null) {
        throw new IllegalArgumentException("--output " + layout.root() + " was started from "
            + conflict + "; use a new output folder or delete this one");
      }
    } else {
      HadoopPaths.mkdirs(layout.rootPath(), conf);
      Json.write(layout.job(), job, conf);
    }
  }
}
