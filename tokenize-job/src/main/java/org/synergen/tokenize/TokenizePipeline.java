package org.synergen.tokenize;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;
import org.apache.spark.util.SerializableConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.synergen.config.ModelConfig;
import org.synergen.data.TokenShard;
import org.synergen.data.TokenShardStats;
import org.synergen.io.hadoop.HadoopPaths;
import org.synergen.text.SpecialTokens;
import org.synergen.text.TextTokenizer;
import org.synergen.text.TextTokenizers;
import org.synergen.vision.vq.VqConfig;

/**
 * The tokenize job on Spark: one task per image shard, writing the token shard of the same
 * number ({@link ShardTokenizer}). Before any task runs, the driver checks that the VQ tokenizer,
 * the tiling and the model's fold size fit together, so a bad configuration fails in a second
 * with a message instead of in every task. The output folder gets {@code _job.json} (settings and
 * tokenizer identities) first and {@code _summary.json} (totals) last; re-running on the same
 * folder with the same settings skips finished shards.
 */
final class TokenizePipeline {
  private static final Logger LOG = LoggerFactory.getLogger(TokenizePipeline.class);
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  static final String JOB_FILE = "_job.json";
  static final String SUMMARY_FILE = "_summary.json";

  private TokenizePipeline() {}

  static TokenShardStats run(SparkSession spark, String input, String output, TokenizeSettings s)
      throws IOException {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    org.apache.hadoop.fs.Path inDir = HadoopPaths.qualify(input, conf);
    org.apache.hadoop.fs.Path outDir = HadoopPaths.qualify(output, conf);
    Map<Integer, org.apache.hadoop.fs.Path> shards = imageShards(inDir, conf);

    TextTokenizer text = TextTokenizers.fromConfig(s.text());
    VqConfig vq = VqConfig.read(Path.of(s.vqDir()).resolve("config.json"));
    check(s, vq, text);
    String textId = text.identity();
    String vqId = VqIdentity.of(Path.of(s.vqDir()));

    Map<String, Object> job = new LinkedHashMap<>();
    job.put("text_tokenizer", textId);
    job.put("vq_model", vqId);
    job.put("vq_dir", s.vqDir());
    job.put("settings", s.toString());
    claimOutput(outDir, job, conf);

    List<Integer> todo = new ArrayList<>();
    List<TokenShardStats> finished = new ArrayList<>();
    long totalImages = 0;
    for (Map.Entry<Integer, org.apache.hadoop.fs.Path> e : shards.entrySet()) {
      org.apache.hadoop.fs.Path stats = new org.apache.hadoop.fs.Path(outDir, TokenShard.statsName(e.getKey()));
      if (HadoopPaths.exists(stats, conf)) {
        finished.add(TokenShardStats.read(stats, conf));
      } else {
        todo.add(e.getKey());
        totalImages += rowCount(e.getValue(), conf);
      }
    }
    LOG.info(String.format("tokenize: %d image shards in %s (%d done by an earlier run), %d images to go;"
        + " stage %s tiling %s, fold %dx%d, VQ %s (%s)", shards.size(), inDir, finished.size(), totalImages,
        s.stage(), s.tiling(), s.vision().foldRows(), s.vision().foldCols(), s.vqDir(), vqId.substring(0, 12)));

    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    LongAccumulator images = jsc.sc().longAccumulator("tokenize.images");
    SerializableConfiguration sconf = new SerializableConfiguration(conf);
    Map<Integer, String> inPaths = new LinkedHashMap<>();
    shards.forEach((k, v) -> inPaths.put(k, v.toString()));
    String out = outDir.toString();
    List<TokenShardStats> done;
    try (AutoCloseable progress = progress(images, totalImages, s, "images")) {
      done = todo.isEmpty() ? List.of() : jsc.parallelize(todo, todo.size()).map(n ->
          ShardTokenizer.run(s, textId, vqId, n, new org.apache.hadoop.fs.Path(inPaths.get(n)),
              new org.apache.hadoop.fs.Path(out), sconf.value(), images::add)).collect();
    } catch (IOException | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    List<TokenShardStats> all = new ArrayList<>(finished);
    all.addAll(done);
    TokenShardStats total = TokenShardStats.sum(all);
    Map<String, Object> summary = new LinkedHashMap<>(job);
    summary.put("shards", shards.size());
    summary.put("totals", total);
    HadoopPaths.writeString(new org.apache.hadoop.fs.Path(outDir, SUMMARY_FILE), JSON.writeValueAsString(summary) + "\n", conf);
    return total;
  }

  /** Image shards of {@code dir} by number (ingest's NNNNN.parquet names). */
  private static Map<Integer, org.apache.hadoop.fs.Path> imageShards(org.apache.hadoop.fs.Path dir, Configuration conf)
      throws IOException {
    if (!HadoopPaths.exists(dir, conf)) {
      throw new IllegalArgumentException("--input " + dir + ": no such folder (ingest's output folder expected)");
    }
    Map<Integer, org.apache.hadoop.fs.Path> shards = new LinkedHashMap<>();
    for (FileStatus f : HadoopPaths.listFiles(dir, conf)) {
      String n = f.getPath().getName();
      if (n.matches("\\d{5,}\\.parquet")) {
        shards.put(Integer.parseInt(n.substring(0, n.length() - ".parquet".length())), f.getPath());
      }
    }
    if (shards.isEmpty()) {
      throw new IllegalArgumentException("--input " + dir + ": no image shards (NNNNN.parquet) in it;"
          + " run `synergen ingest` first and pass its --output folder");
    }
    return shards;
  }

  /**
   * The VQ grid of a tile and of the generation image must fold into whole m x n blocks and fit
   * the model's position table; the VQ's ids must fit its codebook; the text tokenizer's special
   * ids must be the model's.
   */
  static void check(TokenizeSettings s, VqConfig vq, TextTokenizer text) {
    ModelConfig.Vision v = s.vision();
    int f = vq.spatialFactor();
    for (int[] side : new int[][] {{s.tileSize(), 0}, {s.genSize(), 1}}) {
      String what = side[1] == 0 ? "tile size " : "generation image size ";
      int px = side[0];
      if (px % f != 0) {
        throw new IllegalArgumentException(what + px + " is not a multiple of the VQ tokenizer's downsampling"
            + " factor " + f + " (set tokenize.tile-size / tokenize.generation.image-size)");
      }
      int g = px / f;
      if (g % v.foldRows() != 0 || g % v.foldCols() != 0) {
        throw new IllegalArgumentException(what + px + " gives a " + g + "x" + g + " id grid, which does not"
            + " fold into whole " + v.foldRows() + "x" + v.foldCols() + " blocks (model.vision.fold-rows/-cols)");
      }
      if (g > v.maxGridRows() || g > v.maxGridCols()) {
        throw new IllegalArgumentException(what + px + " gives a " + g + "x" + g + " id grid, larger than the"
            + " model's position table (" + v.maxGridRows() + "x" + v.maxGridCols() + ", model.vision.max-grid-rows/-cols);"
            + " use a smaller tokenize.tile-size or a larger model");
      }
    }
    if (vq.codebookSize() > v.codebookSize()) {
      throw new IllegalArgumentException("the VQ tokenizer has " + vq.codebookSize() + " codes but the model's"
          + " codebook holds " + v.codebookSize() + " (model.vision.codebook-size): its ids would not fit;"
          + " set model.vision.codebook-size=" + vq.codebookSize() + " or use a matching VQ tokenizer");
    }
    SpecialTokens sp = text.specials();
    if (sp.boi() != v.boiId() || sp.eoi() != v.eoiId() || sp.uncond() != v.uncondId()) {
      throw new IllegalArgumentException(String.format("the text tokenizer's <boi>/<eoi>/<UNCOND> ids are %d/%d/%d,"
          + " the model config says %d/%d/%d (model.vision.boi-id ...): use the text {} block that belongs"
          + " to the model", sp.boi(), sp.eoi(), sp.uncond(), v.boiId(), v.eoiId(), v.uncondId()));
    }
  }

  /** Writes {@code _job.json}, or checks that an earlier run on this folder used the same settings. */
  @SuppressWarnings("unchecked")
  static void claimOutput(org.apache.hadoop.fs.Path outDir, Map<String, Object> job, Configuration conf)
      throws IOException {
    org.apache.hadoop.fs.Path jobFile = new org.apache.hadoop.fs.Path(outDir, JOB_FILE);
    if (HadoopPaths.exists(jobFile, conf)) {
      Map<String, Object> before = JSON.readValue(HadoopPaths.readString(jobFile, conf), Map.class);
      if (!before.equals(job)) {
        throw new IllegalArgumentException("--output " + outDir + " holds token shards made with other settings"
            + " or tokenizers (see its " + JOB_FILE + "); choose another folder or delete it");
      }
      return;
    }
    if (!TokenShard.list(outDir, conf).isEmpty()) {
      throw new IllegalArgumentException("--output " + outDir + " holds shards but no " + JOB_FILE
          + "; choose another folder or delete it");
    }
    HadoopPaths.fs(outDir, conf).mkdirs(outDir);
    HadoopPaths.writeString(jobFile, JSON.writeValueAsString(job) + "\n", conf);
  }

  private static long rowCount(org.apache.hadoop.fs.Path shard, Configuration conf) throws IOException {
    try (ParquetFileReader r = ParquetFileReader.open(HadoopInputFile.fromPath(shard, conf))) {
      return r.getRecordCount();
    }
  }

  /** Logs images (or conversations) done (counted as shards finish; shard tasks log their own lines meanwhile). */
  static AutoCloseable progress(LongAccumulator images, long total, TokenizeSettings s, String what) {
    long start = System.nanoTime();
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "tokenize-progress");
      t.setDaemon(true);
      return t;
    });
    Runnable line = () -> {
      long n = images.value();
      double secs = (System.nanoTime() - start) / 1e9;
      double rate = n / Math.max(secs, 1e-9);
      LOG.info(String.format("progress: %d/%d %s in finished shards, %.2f %s/s, ETA %s", n, total, what, rate, what,
          rate > 0 ? String.format("%.0fs", (total - n) / rate) : "?"));
    };
    long ms = Math.max(100, s.progressInterval().toMillis());
    timer.scheduleAtFixedRate(line, ms, ms, TimeUnit.MILLISECONDS);
    return () -> {
      timer.shutdownNow();
      line.run();
    };
  }
}
