package org.synergen.ingest.output;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class KeyFormatTest {
  @Test
  void keysAreShardThenRowZeroPaddedAsImg2datasetWritesThem() {
    KeyFormat small = KeyFormat.of(3, 250); // at least 5 shard digits; rows 0..249 need 3
    assertEquals("00000000", small.key(0));
    assertEquals("00001001", small.key(251));
    assertEquals("00002249", small.key(749));
    KeyFormat large = KeyFormat.of(123456, 10000); // shards 0..123455 need 6 digits
    assertEquals("1234550007", large.key(123455L * 10000 + 7));
    assertEquals(123455, large.shardOf(large.key(123455L * 10000 + 7)));
  }

  @Test
  void keysEqualStringFormatsZeroPadding() {
    KeyFormat k = KeyFormat.of(40, 1000);
    for (long i = 0; i < 40_000; i += 37) {
      assertEquals(String.format("%05d%03d", i / 1000, i % 1000), k.key(i));
    }
  }
}
