package org.synergen.train.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.synergen.config.ModelConfig;
import org.synergen.data.TokenShardReader;
import org.synergen.data.TokenShardRow;
import org.synergen.data.TokenShardWriter;
import org.synergen.train.distributed.Slice;
import org.synergen.train.distributed.SliceCursor;
import org.synergen.train.distributed.toy.ToySetup;

/** Token shards as splits: each task reads only its own, streaming, in a heap smaller than the data. */
class StreamingInputTest {
  private static final ModelConfig CFG =
      ModelConfig.fromConfig(ConfigFactory.parseFile(new File("../conf/model/tiny.conf")).getConfig("model"));
  private static final long SEED = 3;
  @TempDir Path tmp;

  /**
   * A sample of {@code len} positions: an image of 2 folded tokens (one 2x8 tile, the tiny config
   * folds 2x4) and text; understanding learns the text after the image, generation the image.
   */
  static TokenShardRow row(String key, String task, int len) {
    ModelConfig.Vision v = CFG.vision();
    boolean und = task.equals(TokenShardRow.UNDERSTANDING);
    int[] ids = new int[len];
    boolean[] loss = new boolean[len];
    for (int i = 0; i < len; i++) {
      ids[i] = 10 + (key.hashCode() + i & 63);
    }
    int img = und ? 0 : len - 4;
    ids[img] = v.boiId();
    ids[img + 1] = TokenShardRow.IMAGE_PLACEHOLDER;
    ids[img + 2] = TokenShardRow.IMAGE_PLACEHOLDER;
    ids[img + 3] = v.eoiId();
    if (und) {
      Arrays.fill(loss, 4, len, true);
    }
    int[] grid = new int[16];
    for (int i = 0; i < grid.length; i++) {
      grid[i] = (key.hashCode() + 7 * i & 0x7fffffff) % v.codebookSize();
    }
    return new TokenShardRow(key, task, TokenShardRow.SUCCESS, null, ids, loss, !und,
        List.of(new TokenShardRow.Tile(2, 8, grid)), v.foldRows(), v.foldCols(), "text", "vq");
  }

  /** {@code shards} shard files of {@code perTask} samples per task of {@code len} positions, tasks interleaved. */
  static void writeShards(Path dir, int shards, int perTask, int len) throws IOException {
    Files.createDirectories(dir);
    for (int s = 0; s < shards; s++) {
      try (TokenShardWriter w = new TokenShardWriter(
          new org.apache.hadoop.fs.Path(dir.resolve(String.format("%05d.parquet", s)).toUri()), new Configuration())) {
        for (int i = 0; i < perTask; i++) {
          w.write(row("s" + s + "-" + i, TokenShardRow.UNDERSTANDING, len));
          w.write(row("s" + s + "-" + i, TokenShardRow.GENERATION, len));
        }
      }
    }
  }

  private static long threadBytesRead() {
    long n = 0;
    for (FileSystem.Statistics st : FileSystem.getAllStatistics()) {
      n += st.getThreadStatistics().getBytesRead();
    }
    return n;
  }

  @Test
  void withEightShardsAndFourWorkersEachTaskReadsOnlyItsQuarter() throws IOException {
    Path dir = tmp.resolve("tokens");
    // 6 samples per task and shard, 2 per packed row, 1 row per batch: 2 shards per worker = 6 steps an epoch
    writeShards(dir, 8, 6, 30);
    TokenShardSlices data = new TokenShardSlices(new TokenShardSamples(dir.toString(), new Configuration()),
        CFG.vision(), 60, 1, 4);
    // what one reader's pass over each file reads (footer and column chunks), measured the same way
    List<Long> once = new ArrayList<>();
    long total = 0;
    for (int s = 0; s < 8; s++) {
      long before = threadBytesRead();
      TokenShardReader.readAll(new org.apache.hadoop.fs.Path(dir.resolve(String.format("%05d.parquet", s)).toUri()),
          new Configuration());
      once.add(threadBytesRead() - before);
      total += once.get(s);
    }
    assertTrue(total > 0, "the local file system counts the bytes it reads");
    JavaSparkContext sc = ToySetup.spark(4, 1);
    List<long[]> perTask;
    try {
      perTask = sc.parallelize(List.of(0, 1, 2, 3), 4).map(p -> {
        long before = threadBytesRead();
        Slice<StepBatches> epoch = data.batches(p, 4, 0, 6, SEED, SliceCursor.START);
        long samples = 0;
        while (epoch.hasNext()) {
          samples += epoch.next().samples();
        }
        return new long[] {p, threadBytesRead() - before, samples};
      }).collect();
    } finally {
      sc.stop();
    }
    long all = 0;
    for (long[] t : perTask) {
      int p = (int) t[0];
      long own = 0;
      for (int split : data.splitsOf(0, p, 4, SEED)) {
        own += once.get(split);
      }
      assertEquals(24, t[2], "worker " + p + ": its 2 shards' 12 samples per task, once");
      // each task stream (und, gen) reads the worker's own two files once; nothing of the other six
      assertEquals(2 * own, t[1], "worker " + p + ": two passes (und, gen) over its files, nothing else");
      assertTrue(Math.abs(own / (double) total - 0.25) < 0.02, "worker " + p + " has " + own + " of " + total + " bytes");
      all += t[1];
    }
    assertEquals(8 * 6 * 2, perTask.stream().mapToLong(t -> t[2]).sum(), "the workers' epochs cover every sample");
    assertEquals(2 * total, all, "together the tasks read each file once per task stream");
  }

  /** Streams one epoch of every worker's slice of the shards in {@code args[0]}; prints what it saw. */
  public static final class StreamOneEpoch {
    public static void main(String[] args) throws IOException {
      int workers = 4;
      TokenShardSlices data = new TokenShardSlices(new TokenShardSamples(args[0], new Configuration()), CFG.vision(),
          Integer.parseInt(args[1]), 1, 8);
      long samples = 0;
      long tokens = 0;
      for (int p = 0; p < workers; p++) {
        SliceCursor cursor = SliceCursor.START;
        // run round after round of 16 steps until both streams have finished their first epoch
        while (cursor.of(TokenShardRow.UNDERSTANDING).epoch() == 0 || cursor.of(TokenShardRow.GENERATION).epoch() == 0) {
          Slice<StepBatches> round = data.batches(p, workers, 0, 16, SEED, cursor);
          while (round.hasNext()) {
            StepBatches b = round.next();
            samples += b.samples();
            tokens += b.tokens();
          }
          cursor = round.cursor();
        }
      }
      System.out.println("streamed " + samples + " samples " + tokens + " tokens heap " + Runtime.getRuntime().maxMemory());
    }
  }

  @Test
  void aTokenSetLargerThanTheHeapStreamsThroughAJvmOfThatHeap() throws Exception {
    Path dir = tmp.resolve("big");
    int perTask = 1000;
    int len = 1000;
    writeShards(dir, 8, perTask, len);
    long rowBytes = 8L * 2 * perTask * len * (Integer.BYTES + 1); // ids and loss flags as the rows hold them
    String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    Process proc = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx48m",
        "-cp", cp, StreamOneEpoch.class.getName(), dir.toString(), "2048")
        .redirectErrorStream(true).redirectOutput(tmp.resolve("child.log").toFile()).start();
    assertTrue(proc.waitFor(5, TimeUnit.MINUTES), "the streaming child did not finish");
    String log = Files.readString(tmp.resolve("child.log"));
    assertEquals(0, proc.exitValue(), log);
    String[] w = log.lines().filter(l -> l.startsWith("streamed ")).findFirst().orElseThrow().split(" ");
    long heap = Long.parseLong(w[6]);
    assertTrue(rowBytes > 1.5 * heap, "the token set (" + rowBytes + " bytes as rows) must exceed the heap " + heap);
    // every sample of both tasks passed once: a few more when a round ran into the second epoch
    long samples = Long.parseLong(w[1]);
    assertTrue(samples >= 8L * 2 * perTask && samples < 8L * 2 * perTask + 4 * 2 * 2 * 16, log);
  }
}
