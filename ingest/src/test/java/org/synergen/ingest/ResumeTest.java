package org.synergen.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.synergen.data.ImageShardRow;
import picocli.CommandLine;

/**
 * Kills a real job process (SIGKILL) after some shards are written, re-runs it on the same
 * output, and checks that the result equals an uninterrupted run and that complete shards were
 * not downloaded again.
 */
class ResumeTest {
  static final int SHARDS = 6;
  static final int PER_SHARD = 3;

  @TempDir Path dir;

  @Test
  void killedJobResumesToTheSameResult() throws Exception {
    SparkTestSession.get();
    Map<String, LoopbackServer.Route> routes = new HashMap<>();
    StringBuilder meta = new StringBuilder("url,caption\n");
    List<String> paths = new ArrayList<>();
    for (int i = 0; i < SHARDS * PER_SHARD; i++) {
      byte[] img = TestImages.jpeg(TestImages.picture(96, 72, 100 + i), 90);
      String p = "/img" + i + ".jpg";
      paths.add(p);
      routes.put(p, (ex, n) -> {
        Thread.sleep(400); // slow enough to kill the job between shards
        LoopbackServer.send(ex, 200, "image/jpeg", img);
      });
    }
    try (LoopbackServer server = new LoopbackServer(routes)) {
      for (int i = 0; i < paths.size(); i++) {
        meta.append(server.url(paths.get(i))).append(",\"picture number ").append(i).append("\"\n");
      }
      Path input = dir.resolve("meta.csv");
      Files.writeString(input, meta, StandardCharsets.UTF_8);
      Path out = dir.resolve("resumed");
      List<String> settings = List.of("ingest.output.samples-per-shard=" + PER_SHARD,
          "ingest.fetch.threads=1", "ingest.image.size=32", "ingest.progress-interval=2s");

      // 1. a separate JVM runs the job; kill -9 once two shards are complete
      Process child = startChild(input, out, settings);
      Path fetched = out.resolve("_fetched");
      long deadline = System.currentTimeMillis() + 240_000;
      int complete = 0;
      while (complete < 2) {
        assertTrue(child.isAlive(), "the job ended before it could be killed");
        assertTrue(System.currentTimeMillis() < deadline, "no shard completed in time");
        Thread.sleep(100);
        complete = countStats(fetched);
      }
      child.destroyForcibly().waitFor();
      complete = countStats(fetched);
      assertTrue(complete < SHARDS, "killed after all shards: nothing left to resume");
      assertTrue(!Files.exists(out.resolve("_summary.json")));
      // a shard whose parquet exists but whose stats do not (killed between the two) is partial
      int partial = firstIncomplete(fetched);
      Files.write(fetched.resolve(String.format("%05d.parquet", partial)), new byte[] {1, 2, 3});

      // 2. re-run on the same output: complete shards are kept, the rest is redone
      assertEquals(0, run(input, out, settings));
      for (int shard = 0; shard < SHARDS; shard++) {
        for (int r = 0; r < PER_SHARD; r++) {
          String p = paths.get(shard * PER_SHARD + r);
          if (completeAtKill.contains(shard)) {
            assertEquals(1, server.hits(p), p + " of a complete shard was fetched again");
          } else {
            assertTrue(server.hits(p) >= 1, p + " of an incomplete shard was not fetched");
          }
        }
      }

      // 3. the same as an uninterrupted run
      Path fresh = dir.resolve("fresh");
      assertEquals(0, run(input, fresh, settings));
      List<ImageShardRow> a = IngestJobTest.readAll(out);
      List<ImageShardRow> b = IngestJobTest.readAll(fresh);
      assertEquals(SHARDS * PER_SHARD, a.size());
      assertEquals(describe(b), describe(a));
    }
  }

  /** Shards whose stats existed when the job was killed. */
  private final java.util.Set<Integer> completeAtKill = new java.util.HashSet<>();

  private int firstIncomplete(Path fetched) throws Exception {
    for (int s = 0; s < SHARDS; s++) {
      if (Files.exists(fetched.resolve(String.format("%05d_stats.json", s)))) {
        completeAtKill.add(s);
      }
    }
    for (int s = 0; s < SHARDS; s++) {
      if (!completeAtKill.contains(s)) {
        return s;
      }
    }
    throw new AssertionError("all shards complete");
  }

  private static List<String> describe(List<ImageShardRow> rows) {
    return rows.stream().map(r -> String.join("|", r.key(), r.url(), r.caption(), r.status(),
        String.valueOf(r.errorMessage()), String.valueOf(r.width()), r.sha256())).toList();
  }

  private static int countStats(Path fetched) throws Exception {
    if (!Files.isDirectory(fetched)) {
      return 0;
    }
    try (var s = Files.list(fetched)) {
      return (int) s.filter(p -> p.getFileName().toString().endsWith("_stats.json")).count();
    }
  }

  private static int run(Path input, Path out, List<String> settings) {
    List<String> args = new ArrayList<>(List.of("--input", input.toString(), "--output",
        out.toString(), "--allow-private"));
    args.addAll(settings);
    return new CommandLine(new IngestCommand()).execute(args.toArray(String[]::new));
  }

  /** The ingest job in a JVM of its own, its terminal output in child.log beside {@code out}. */
  static Process startChild(Path input, Path out, List<String> settings) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (a.startsWith("--add-opens") || a.startsWith("-Djdk.reflect") || a.startsWith("-Dio.netty")) {
        cmd.add(a);
      }
    }
    cmd.addAll(List.of("-Xmx1g", "-Dspark.master=local[1]", "-Dspark.ui.enabled=false",
        "-cp", System.getProperty("java.class.path"), IngestJob.class.getName(),
        "--input", input.toString(), "--output", out.toString(), "--allow-private"));
    cmd.addAll(settings);
    return new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(out.resolveSibling("child.log").toFile()).start();
  }
}
