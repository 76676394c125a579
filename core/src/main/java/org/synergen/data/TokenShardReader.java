package org.synergen.data;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;

/** Reads the rows (samples) of one token shard, in file order. */
public final class TokenShardReader extends GroupShardReader<TokenShardRow> {
  public TokenShardReader(Path shard, Configuration conf) throws IOException {
    super(shard, conf);
  }

  @Override
  TokenShardRow row(Group g) {
    int n = g.getFieldRepetitionCount(TokenShard.INPUT_IDS);
    int[] ids = new int[n];
    for (int i = 0; i < n; i++) {
      ids[i] = g.getInteger(TokenShard.INPUT_IDS, i);
    }
    boolean[] loss = new boolean[g.getFieldRepetitionCount(TokenShard.TEXT_LOSS)];
    for (int i = 0; i < loss.length; i++) {
      loss[i] = g.getBoolean(TokenShard.TEXT_LOSS, i);
    }
    int nTiles = g.getFieldRepetitionCount(TokenShard.TILES);
    List<TokenShardRow.Tile> tiles = new ArrayList<>(nTiles);
    for (int t = 0; t < nTiles; t++) {
      Group tile = g.getGroup(TokenShard.TILES, t);
      int[] tileIds = new int[tile.getFieldRepetitionCount(TokenShard.TILE_IDS)];
      for (int i = 0; i < tileIds.length; i++) {
        tileIds[i] = tile.getInteger(TokenShard.TILE_IDS, i);
      }
      tiles.add(new TokenShardRow.Tile(tile.getInteger(TokenShard.TILE_ROWS, 0),
          tile.getInteger(TokenShard.TILE_COLS, 0), tileIds));
    }
    return new TokenShardRow(
        g.getString(TokenShard.KEY, 0),
        g.getString(TokenShard.TASK, 0),
        g.getString(TokenShard.STATUS, 0),
        string(g, TokenShard.ERROR_MESSAGE),
        ids,
        loss,
        g.getBoolean(TokenShard.IMAGE_LOSS, 0),
        tiles,
        g.getInteger(TokenShard.FOLD_ROWS, 0),
        g.getInteger(TokenShard.FOLD_COLS, 0),
        string(g, TokenShard.TEXT_TOKENIZER),
        string(g, TokenShard.VQ_MODEL));
  }

  /** Every row of a shard (for small shards and tests). */
  public static List<TokenShardRow> readAll(Path shard, Configuration conf) throws IOException {
    return drain(new TokenShardReader(shard, conf));
  }
}
