package org.synergen.tokenize;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;
import org.apache.spark.util.SerializableConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.synergen.data.TokenShard;
import org.synergen.data.TokenShardStats;
import org.synergen.io.hadoop.HadoopPaths;
import org.synergen.text.TextTokenizer;
import org.synergen.text.TextTokenizers;
import org.synergen.vision.vq.VqConfig;

/**
 * {@code tokenize conversations} on Spark: one task per conversation file (a JSON-lines file, or
 * every {@code .jsonl} / {@code .json} file of a folder, in name order), writing token shard N for
 * file N ({@link ConversationShard}). Checks, {@code _job.json}, {@code _summary.json} and the
 * skipping of finished shards on a rerun are the tokenize job's ({@link TokenizePipeline}).
 */
final class ConversationPipeline {
  private static final Logger LOG = LoggerFactory.getLogger(ConversationPipeline.class);
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ConversationPipeline() {}

  static TokenShardStats run(SparkSession spark, String input, String output, ConversationSettings cs)
      throws IOException {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    TokenizeSettings s = cs.tokenize();
    org.apache.hadoop.fs.Path outDir = HadoopPaths.qualify(output, conf);
    List<org.apache.hadoop.fs.Path> files = conversationFiles(HadoopPaths.qualify(input, conf), conf);
    TextTokenizer text = TextTokenizers.fromConfig(s.text());
    VqConfig vq = VqConfig.read(Path.of(s.vqDir()).resolve("config.json"));
    TokenizePipeline.check(s, vq, text);
    String textId = text.identity();
    String vqId = VqIdentity.of(Path.of(s.vqDir()));
    ConversationSettings resolved = cs.imageRoot() == null ? cs
        : new ConversationSettings(s, cs.sequenceLength(), HadoopPaths.qualify(cs.imageRoot(), conf).toString());

    Map<String, Object> job = new LinkedHashMap<>();
    job.put("input", "conversations");
    job.put("text_tokenizer", textId);
    job.put("vq_model", vqId);
    job.put("vq_dir", s.vqDir());
    job.put("sequence_length", cs.sequenceLength());
    job.put("image_root", resolved.imageRoot());
    job.put("settings", s.toString());
    TokenizePipeline.claimOutput(outDir, job, conf);

    List<Integer> todo = new ArrayList<>();
    List<TokenShardStats> finished = new ArrayList<>();
    long lines = 0;
    for (int n = 0; n < files.size(); n++) {
      org.apache.hadoop.fs.Path stats = new org.apache.hadoop.fs.Path(outDir, TokenShard.statsName(n));
      if (HadoopPaths.exists(stats, conf)) {
        finished.add(TokenShardStats.read(stats, conf));
      } else {
        todo.add(n);
        lines += lineCount(files.get(n), conf);
      }
    }
    LOG.info(String.format("tokenize conversations: %d file(s) under %s (%d done by an earlier run), %d conversations"
        + " to go; stage %s tiling %s, fold %dx%d, sequence length %d, VQ %s (%s)", files.size(), input,
        finished.size(), lines, s.stage(), s.tiling(), s.vision().foldRows(), s.vision().foldCols(),
        cs.sequenceLength(), s.vqDir(), vqId.substring(0, 12)));

    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    LongAccumulator done = jsc.sc().longAccumulator("tokenize.conversations");
    SerializableConfiguration sconf = new SerializableConfiguration(conf);
    List<String> paths = files.stream().map(org.apache.hadoop.fs.Path::toString).toList();
    String out = outDir.toString();
    List<TokenShardStats> written;
    try (AutoCloseable progress = TokenizePipeline.progress(done, lines, s, "conversations")) {
      written = todo.isEmpty() ? List.of() : jsc.parallelize(todo, todo.size()).map(n ->
          ConversationShard.run(resolved, textId, vqId, n, new org.apache.hadoop.fs.Path(paths.get(n)),
              new org.apache.hadoop.fs.Path(out), sconf.value(), done::add)).collect();
    } catch (IOException | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    List<TokenShardStats> all = new ArrayList<>(finished);
    all.addAll(written);
    TokenShardStats total = TokenShardStats.sum(all);
    Map<String, Object> summary = new LinkedHashMap<>(job);
    summary.put("files", paths);
    summary.put("totals", total);
    HadoopPaths.writeString(new org.apache.hadoop.fs.Path(outDir, TokenizePipeline.SUMMARY_FILE),
        JSON.writeValueAsString(summary) + "\n", conf);
    return total;
  }

  /** The file itself, or a folder's .jsonl / .json files in name order. */
  private static List<org.apache.hadoop.fs.Path> conversationFiles(org.apache.hadoop.fs.Path in, Configuration conf)
      throws IOException {
    if (!HadoopPaths.exists(in, conf)) {
      throw new IllegalArgumentException("--input " + in + ": no such file or folder (JSON lines of conversations)");
    }
    if (HadoopPaths.fs(in, conf).getFileStatus(in).isFile()) {
      return List.of(in);
    }
    List<org.apache.hadoop.fs.Path> files = new ArrayList<>();
    for (FileStatus f : HadoopPaths.listFiles(in, conf)) {
      String n = f.getPath().getName();
      if (!n.startsWith(".") && !n.startsWith("_") && (n.endsWith(".jsonl") || n.endsWith(".json"))) {
        files.add(f.getPath());
      }
    }
    if (files.isEmpty()) {
      throw new IllegalArgumentException("--input " + in + ": no .jsonl or .json files in this folder");
    }
    return files;
  }

  private static long lineCount(org.apache.hadoop.fs.Path file, Configuration conf) throws IOException {
    long n = 0;
    try (BufferedReader r = new BufferedReader(new InputStreamReader(HadoopPaths.fs(file, conf).open(file),
        StandardCharsets.UTF_8))) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        n += line.isBlank() ? 0 : 1;
      }
    }
    return n;
  }
}
