package org.synergen.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenShardFormatTest {
  private static final Configuration CONF = new Configuration();

  @TempDir
  java.nio.file.Path dir;

  private static TokenShardRow understanding() {
    int p = TokenShardRow.IMAGE_PLACEHOLDER;
    return new TokenShardRow("000000001", TokenShardRow.UNDERSTANDING, TokenShardRow.SUCCESS, null,
        new int[] {256, 258, p, p, p, 259, 104, 105, 257},
        new boolean[] {false, false, false, false, false, false, true, true, false}, false,
        List.of(new TokenShardRow.Tile(2, 4, new int[] {0, 1, 2, 3, 4, 5, 6, 1023}),
            new TokenShardRow.Tile(2, 4, new int[] {7, 7, 7, 7, 8, 8, 8, 8}),
            new TokenShardRow.Tile(1, 8, new int[] {9, 10, 11, 12, 13, 14, 15, 16})),
        2, 4, "text-sha", "vq-sha");
  }

  private static TokenShardRow generationFailure() {
    return new TokenShardRow("000000002", TokenShardRow.GENERATION, "failed_to_download",
        "HTTP 404", new int[0], new boolean[0], true, List.of(), 2, 4, "text-sha", "vq-sha");
  }

  @Test
  void rowsSurviveTheRoundTripFieldByField() throws IOException {
    Path shard = new Path(dir.resolve(TokenShard.parquetName(0)).toUri());
    try (TokenShardWriter w = new TokenShardWriter(shard, CONF)) {
      w.write(understanding());
      w.write(generationFailure());
    }
    List<TokenShardRow> back = TokenShardReader.readAll(shard, CONF);
    assertEquals(2, back.size());
    assertSame(understanding(), back.get(0));
    assertSame(generationFailure(), back.get(1));
    assertEquals(List.of(shard.getName()),
        TokenShard.list(new Path(dir.toUri()), CONF).stream().map(Path::getName).toList());
  }

  @Test
  void anUnclosedOrAbortedShardIsNeverVisibleUnderItsName() throws IOException {
    Path shard = new Path(dir.resolve(TokenShard.parquetName(3)).toUri());
    TokenShardWriter w = new TokenShardWriter(shard, CONF);
    w.write(understanding());
    assertFalse(Files.exists(dir.resolve("00003.parquet")));
    assertTrue(TokenShard.list(new Path(dir.toUri()), CONF).isEmpty());
    w.abort();
    try (var files = Files.list(dir)) {
      assertEquals(List.of(), files.filter(f -> f.getFileName().toString().endsWith(".parquet")).toList());
    }
  }

  @Test
  void statsCountWhatWasWrittenAndSurviveJson() throws IOException {
    TokenShardStats.Counter c = new TokenShardStats.Counter();
    c.image("success");
    c.image("failed_to_download");
    c.row(understanding(), false);
    c.row(generationFailure(), false);
    TokenShardStats s = c.toStats(0, 1.5);
    assertEquals(2, s.images());
    assertEquals(2, s.rows());
    assertEquals(1, s.successes());
    assertEquals(9, s.textTokens());
    assertEquals(3, s.imageTokens());
    assertEquals(24, s.imageIds());
    assertEquals(3, s.tiles());
    assertEquals(1L, s.errors().get("HTTP 404"));
    Path p = new Path(dir.resolve(TokenShard.statsName(0)).toUri());
    s.write(p, CONF);
    assertEquals(s, TokenShardStats.read(p, CONF));
    TokenShardStats total = TokenShardStats.sum(List.of(s, s));
    assertEquals(4, total.rows());
    assertEquals(2L, total.byTask().get(TokenShardRow.UNDERSTANDING));
  }

  private static void assertSame(TokenShardRow want, TokenShardRow got) {
    assertEquals(want.key(), got.key());
    assertEquals(want.task(), got.task());
    assertEquals(want.status(), got.status());
    if (want.errorMessage() == null) {
      assertNull(got.errorMessage());
    } else {
      assertEquals(want.errorMessage(), got.errorMessage());
    }
    assertArrayEquals(want.inputIds(), got.inputIds());
    assertArrayEquals(want.textLoss(), got.textLoss());
    assertEquals(want.imageLoss(), got.imageLoss());
    assertEquals(want.tiles().size(), got.tiles().size());
    for (int i = 0; i < want.tiles().size(); i++) {
      assertEquals(want.tiles().get(i).rows(), got.tiles().get(i).rows());
      assertEquals(want.tiles().get(i).cols(), got.tiles().get(i).cols());
      assertArrayEquals(want.tiles().get(i).ids(), got.tiles().get(i).ids());
    }
    assertEquals(want.foldRows(), got.foldRows());
    assertEquals(want.foldCols(), got.foldCols());
    assertEquals(want.textTokenizer(), got.textTokenizer());
    assertEquals(want.vqModel(), got.vqModel());
  }
}
