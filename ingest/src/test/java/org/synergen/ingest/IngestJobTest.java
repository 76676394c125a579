package org.synergen.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.synergen.data.ImageShard;
import org.synergen.data.ImageShardReader;
import org.synergen.data.ImageShardRow;
import picocli.CommandLine;

/**
 * The whole job against a real HTTP server on loopback: one input row per failure mode the
 * issue lists, each checked for its status, plus rows in == rows out, exit code 0, and read-back
 * with Spark SQL and pyarrow.
 */
class IngestJobTest {
  static final byte[] OK = jpeg(1, 95);
  static final byte[] NEAR = jpeg(1, 60); // the same picture re-encoded
  static final byte[] DUP = jpeg(5, 95);

  @TempDir static Path dir;
  static LoopbackServer server;
  static List<ImageShardRow> rows;
  static int exitCode;
  static Path out;

  /** url path, caption; the row order is the key order. */
  static final String[][] INPUT = {
    {"/ok.jpg", "a picture that downloads fine"},
    {"/missing.jpg", "a 404"},
    {"/flaky.jpg", "500 first, then fine"},
    {"/slow.jpg", "never answers in time"},
    {"/loop-a", "redirects forever"},
    {"/truncated.jpg", "half a JPEG"},
    {"/html.jpg", "an HTML page sent as image/jpeg"},
    {"/huge.png", "20000 x 20000 pixels"},
    {"/noai.jpg", "X-Robots-Tag: noai"},
    {"/caption.jpg", null}, // caption with invalid UTF-8, written as raw bytes below
    {"/dup-a.jpg", "first copy"},
    {"/dup-b.jpg", "second URL, same bytes"},
    {"/near.jpg", "row 0's picture re-encoded"},
  };

  static byte[] jpeg(int seed, int q) {
    try {
      return TestImages.jpeg(TestImages.picture(320, 240, seed), q);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static Map<String, LoopbackServer.Route> routes() throws Exception {
    byte[] truncated = java.util.Arrays.copyOf(jpeg(6, 90), jpeg(6, 90).length / 2);
    byte[] huge = TestImages.hugePng(20000, 20000);
    Map<String, LoopbackServer.Route> r = new LinkedHashMap<>();
    r.put("/ok.jpg", LoopbackServer.image(OK));
    r.put("/flaky.jpg", (ex, n) -> {
      if (n == 1) {
        LoopbackServer.send(ex, 500, "text/plain", "try later".getBytes());
      } else {
        LoopbackServer.send(ex, 200, "image/jpeg", jpeg(2, 95));
      }
    });
    r.put("/slow.jpg", (ex, n) -> {
      Thread.sleep(4000);
      LoopbackServer.send(ex, 200, "image/jpeg", OK);
    });
    r.put("/loop-a", (ex, n) -> redirect(ex, "/loop-b"));
    r.put("/loop-b", (ex, n) -> redirect(ex, "/loop-a"));
    r.put("/truncated.jpg", LoopbackServer.image(truncated));
    r.put("/html.jpg", LoopbackServer.image(
        "<!DOCTYPE html><html><body>Image not found</body></html>".getBytes()));
    r.put("/huge.png", (ex, n) -> LoopbackServer.send(ex, 200, "image/png", huge));
    r.put("/noai.jpg", (ex, n) -> {
      ex.getResponseHeaders().add("X-Robots-Tag", "noai, noimageai");
      LoopbackServer.send(ex, 200, "image/jpeg", jpeg(3, 95));
    });
    r.put("/caption.jpg", LoopbackServer.image(jpeg(4, 95)));
    r.put("/dup-a.jpg", LoopbackServer.image(DUP));
    r.put("/dup-b.jpg", LoopbackServer.image(DUP));
    r.put("/near.jpg", LoopbackServer.image(NEAR));
    return r;
  }

  static void redirect(com.sun.net.httpserver.HttpExchange ex, String to) throws Exception {
    ex.getResponseHeaders().set("Location", to);
    ex.sendResponseHeaders(302, -1);
  }

  /** JSON lines, written as bytes so that one caption can hold invalid UTF-8. */
  static Path metadata(LoopbackServer s) throws Exception {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (int i = 0; i < INPUT.length; i++) {
      String url = s.url(INPUT[i][0]);
      b.write(("{\"url\": \"" + url + "\", \"caption\": \"").getBytes(StandardCharsets.UTF_8));
      if (INPUT[i][1] == null) {
        b.write("caf".getBytes(StandardCharsets.UTF_8));
        b.write(new byte[] {(byte) 0xc3, (byte) 0x28, (byte) 0xff}); // broken sequence, 0xff
        b.write(" au lait".getBytes(StandardCharsets.UTF_8));
      } else {
        b.write(INPUT[i][1].getBytes(StandardCharsets.UTF_8));
      }
      b.write(("\", \"license\": \"cc-by-" + i + "\", \"similarity\": " + (0.25 + i) + "}\n")
          .getBytes(StandardCharsets.UTF_8));
    }
    Path meta = dir.resolve("meta.jsonl");
    Files.write(meta, b.toByteArray());
    return meta;
  }

  static String[] testSettings() {
    return new String[] {
      "ingest.output.samples-per-shard=4",
      "ingest.fetch.threads=4",
      "ingest.fetch.connect-timeout=1s",
      "ingest.fetch.read-timeout=1s",
      "ingest.fetch.total-timeout=5s",
      "ingest.fetch.retries=1",
      "ingest.fetch.backoff=50ms",
      "ingest.image.size=64",
      "ingest.progress-interval=1s",
    };
  }

  @BeforeAll
  static void runJob() throws Exception {
    SparkTestSession.get();
    server = new LoopbackServer(routes());
    Path meta = metadata(server);
    out = dir.resolve("out");
    List<String> args = new ArrayList<>(List.of("--input", meta.toString(), "--output",
        out.toString(), "--allow-private"));
    args.addAll(List.of(testSettings()));
    exitCode = new CommandLine(new IngestCommand()).execute(args.toArray(String[]::new));
    rows = readAll(out);
  }

  static List<ImageShardRow> readAll(Path out) throws Exception {
    List<ImageShardRow> all = new ArrayList<>();
    try (var files = Files.list(out)) {
      for (Path p : files.filter(p -> p.toString().endsWith(".parquet")).sorted().toList()) {
        all.addAll(ImageShardReader.readAll(new org.apache.hadoop.fs.Path(p.toUri()), new Configuration()));
      }
    }
    return all;
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static ImageShardRow row(int i) {
    return rows.get(i);
  }

  private static void assertStatus(int i, String status, String messagePart) {
    ImageShardRow r = row(i);
    assertEquals(status, r.status(), "row " + i + " " + INPUT[i][0] + ": " + r.errorMessage());
    if (messagePart == null) {
      assertNull(r.errorMessage(), "row " + i);
    } else {
      assertNotNull(r.errorMessage(), "row " + i);
      assertTrue(r.errorMessage().contains(messagePart),
          "row " + i + ": '" + r.errorMessage() + "' should mention '" + messagePart + "'");
    }
  }

  @Test
  void exitsZeroAndKeepsEveryRowInOrder() {
    assertEquals(0, exitCode);
    assertEquals(INPUT.length, rows.size());
    for (int i = 0; i < INPUT.length; i++) {
      assertEquals(String.format("%05d%d", i / 4, i % 4), row(i).key());
      assertEquals(server.url(INPUT[i][0]), row(i).url());
      assertEquals("cc-by-" + i, row(i).extras().get(0), "extra column kept");
    }
  }

  @Test
  void success() throws Exception {
    assertStatus(0, ImageShard.SUCCESS, null);
    ImageShardRow r = row(0);
    assertEquals(64, r.width());
    assertEquals(64, r.height());
    assertEquals(320, r.originalWidth());
    assertEquals(240, r.originalHeight());
    // img2dataset's sha256 is the hash of the downloaded file; ours of the stored JPEG is jpg_sha256
    assertEquals(sha256(OK), r.sha256(), "sha256 of the bytes the server sent");
    assertEquals(sha256(r.image()), r.jpgSha256(), "jpg_sha256 of the stored bytes");
  }

  private static String sha256(byte[] b) throws Exception {
    return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(b));
  }

  @Test
  void notFound() {
    assertStatus(1, ImageShard.FAILED_TO_DOWNLOAD, "HTTP 404");
    assertEquals(1, server.hits("/missing.jpg"), "a 404 is not retried");
  }

  @Test
  void serverErrorThenSuccessOnRetry() {
    assertStatus(2, ImageShard.SUCCESS, null);
    assertEquals(2, server.hits("/flaky.jpg"));
  }

  @Test
  void timeout() {
    assertStatus(3, ImageShard.FAILED_TO_DOWNLOAD, "timeout");
  }

  @Test
  void redirectLoop() {
    assertStatus(4, ImageShard.FAILED_TO_DOWNLOAD, "redirect");
  }

  @Test
  void truncatedJpeg() {
    assertStatus(5, ImageShard.FAILED_TO_RESIZE, "truncated image");
  }

  @Test
  void htmlWithImageContentType() {
    assertStatus(6, ImageShard.FAILED_TO_RESIZE, "not an image");
  }

  @Test
  void hugeImageRefusedBeforeDecoding() {
    assertStatus(7, ImageShard.FAILED_TO_RESIZE, "image area too large");
    assertEquals(20000, row(7).originalWidth());
    assertEquals(20000, row(7).originalHeight());
  }

  @Test
  void xRobotsTagNoai() {
    assertStatus(8, ImageShard.FAILED_TO_DOWNLOAD, "X-Robots-Tag");
  }

  @Test
  void badUtf8CaptionIsRepairedAndKept() {
    assertStatus(9, ImageShard.SUCCESS, null);
    String c = row(9).caption();
    assertTrue(c.startsWith("caf") && c.endsWith(" au lait") && c.contains("\uFFFD"), c);
  }

  @Test
  void duplicateUnderTwoUrls() {
    assertStatus(10, ImageShard.SUCCESS, null);
    assertStatus(11, ImageShard.DUPLICATE, "exact duplicate of key " + row(10).key());
    assertEquals(row(10).key(), row(11).duplicateOf());
    assertEquals(row(10).sha256(), row(11).sha256());
    assertNull(row(11).image(), "a duplicate's bytes are not stored twice");
  }

  @Test
  void nearDuplicateReencoded() {
    assertStatus(12, ImageShard.DUPLICATE, "near duplicate of key " + row(0).key());
    assertTrue(!row(12).sha256().equals(row(0).sha256()), "different bytes");
  }

  @Test
  void statsAndSummaryCountEveryRow() throws Exception {
    var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
    long total = 0;
    Map<String, Long> byStatus = new TreeMap<>();
    for (int shard = 0; shard < 4; shard++) {
      var stats = mapper.readTree(out.resolve(ImageShard.statsName(shard)).toFile());
      total += stats.get("count").asLong();
      byStatus.merge("success", stats.get("successes").asLong(), Long::sum);
      byStatus.merge("failed_to_download", stats.get("failed_to_download").asLong(), Long::sum);
    }
    assertEquals(INPUT.length, total);
    var summary = mapper.readTree(out.resolve("_summary.json").toFile());
    assertEquals(INPUT.length, summary.get("count").asLong());
    long expectedSuccess = rows.stream().filter(r -> r.status().equals(ImageShard.SUCCESS)).count();
    assertEquals(expectedSuccess, summary.get("successes").asLong());
    assertEquals(expectedSuccess, byStatus.get("success"));
    assertEquals(2, summary.get("duplicates").asLong());
    assertTrue(!Files.exists(out.resolve("_fetched")), "staging removed");
  }

  @Test
  void sparkSqlReadsTheShards() {
    Dataset<Row> df = SparkTestSession.get().read().parquet(out + "/*.parquet");
    assertEquals(INPUT.length, df.count());
    Map<String, Long> byStatus = new TreeMap<>();
    for (Row r : df.groupBy("status").count().collectAsList()) {
      byStatus.put(r.getString(0), r.getLong(1));
    }
    assertEquals(Map.of("success", 4L, "failed_to_download", 4L, "failed_to_resize", 3L,
        "duplicate", 2L), byStatus);
    assertEquals(0.25 + 10, df.where("key = '000022'").select("similarity").first().getDouble(0));
  }

  @Test
  void pyarrowReadsTheShards() throws Exception {
    String script = String.join("\n",
        "import sys, glob, pyarrow.parquet as pq",
        "t = pq.read_table(sorted(glob.glob(sys.argv[1] + '/*.parquet')))",
        "s = t.column('status').to_pylist()",
        "ok = [b for b, st in zip(t.column('jpg').to_pylist(), s) if st == 'success']",
        "assert all(b[:2] == b'\\xff\\xd8' for b in ok), 'images are JPEG'",
        "print(t.num_rows, s.count('success'), s.count('duplicate'), len(t.column('caption').to_pylist()[9]))");
    String python = python();
    ProcessBuilder pb = new ProcessBuilder(python, "-c", script, out.toString()).redirectErrorStream(true);
    Process p;
    try {
      p = pb.start();
    } catch (java.io.IOException e) {
      throw new AssertionError(python + " is needed for the pyarrow read-back (bin/test makes .venv/py)", e);
    }
    String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertEquals(0, p.waitFor(), python + " + pyarrow failed (bin/test installs it into .venv/py):\n" + text);
    assertEquals(INPUT.length + " 4 2 " + row(9).caption().length(), text);
  }

  /** $SYNERGEN_PYTHON, else the project venv bin/test makes (tests run in ingest/), else python3. */
  private static String python() {
    String env = System.getenv("SYNERGEN_PYTHON");
    Path venv = Path.of("..", ".venv", "py", "bin", "python");
    return env != null && !env.isEmpty() ? env : Files.isExecutable(venv) ? venv.toAbsolutePath().toString() : "python3";
  }
}
