package org.synergen.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Metadata named .parquet that is no Parquet file, as a user meets it: the job in a JVM of its own
 * prints one line naming the file and exits 2; no stack trace (ours or a failed Spark task's).
 */
class UnreadableInputTest {
  @TempDir Path dir;

  @Test
  void aParquetFileThatIsNotOne() throws Exception {
    Path input = dir.resolve("metadata.parquet");
    Files.writeString(input, "url,caption\nhttp://example.com/a.jpg,a cat\n");   // a CSV under a Parquet name
    Process job = ResumeTest.startChild(input, dir.resolve("out"), List.of());
    int rc = job.waitFor();
    List<String> lines = Files.readAllLines(dir.resolve("child.log"));
    // Spark's start-up warnings (hostname, native Hadoop) are not ours to remove
    List<String> ours = lines.stream().filter(l -> !l.matches("\\S+ WARN .*")).toList();
    assertEquals(2, rc, String.join("\n", lines));
    assertEquals(List.of("synergen ingest: file:" + input + " is no Parquet file: Expected magic number at tail, but"
        + " found [99, 97, 116, 10]; replace or remove the file"), ours, String.join("\n", lines));
  }
}
