package org.synergen.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.synergen.data.TokenShardReader;

/** A ".parquet" that is no Parquet file is bad input naming the file, wherever the read failed. */
class UnreadableInputTest {
  @TempDir Path dir;

  @Test
  void aBrokenTokenShardIsBadInputNamingTheFile() throws Exception {
    Path shard = dir.resolve("00003.parquet");
    Files.write(shard, "these bytes are no Parquet file at all".getBytes());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> {
      try (TokenShardReader r = new TokenShardReader(new org.apache.hadoop.fs.Path(shard.toUri()), new Configuration())) {
        r.next();
      }
    });
    assertTrue(e.getMessage().startsWith("file:" + shard + " is no Parquet file: "), e.getMessage());
    assertTrue(e.getMessage().endsWith("; replace or remove the file"), e.getMessage());
  }

  @Test
  void foundInsideTheFailureOfASparkJob() {
    Throwable inTask = new RuntimeException("hdfs://nn/shards/00001.parquet is not a Parquet file (length is too low: 4)");
    assertEquals(Optional.of("hdfs://nn/shards/00001.parquet is no Parquet file: length is too low: 4; replace or remove the file"),
        UnreadableInput.describe(new SparkException("Job aborted due to stage failure", inTask)));
  }

  @Test
  void otherFailuresAreNotBadInput() {
    assertEquals(Optional.empty(), UnreadableInput.describe(new IllegalStateException("out of memory in a task")));
    RuntimeException crash = new RuntimeException("boom");
    assertEquals(crash, UnreadableInput.asBadInput(crash));
  }
}
