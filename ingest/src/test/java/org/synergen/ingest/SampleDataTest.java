package org.synergen.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.synergen.data.ImageShard;
import org.synergen.data.ImageShardRow;
import picocli.CommandLine;

/** The bundled sample (data/sample) ingests with the default settings, without --allow-private. */
class SampleDataTest {
  @TempDir Path dir;

  @Test
  void bundledSampleIngestsCompletely() throws Exception {
    SparkTestSession.get();
    Path out = dir.resolve("shards");
    int code = new CommandLine(new IngestCommand()).execute("--input",
        "../data/sample/metadata.parquet", "--output", out.toString(),
        "ingest.output.samples-per-shard=10", "ingest.fetch.threads=4");
    assertEquals(0, code);
    List<ImageShardRow> rows = IngestJobTest.readAll(out);
    assertEquals(28, rows.size());
    for (ImageShardRow r : rows) {
      assertEquals(ImageShard.SUCCESS, r.status(), r.url() + ": " + r.errorMessage());
      assertEquals(256, r.width()); // default: border to 256 x 256
      assertEquals(256, r.height());
    }
    assertEquals("images/astronaut.jpg", rows.get(0).url());
    assertEquals("public domain", rows.get(0).extras().get(0));
  }
}
