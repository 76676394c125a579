package org.synergen.data;

import java.io.Closeable;
import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;

/**
 * Writes one token shard. Rows go to a hidden temporary file that {@link #close} renames to the
 * target, so a shard that exists under its name is complete.
 */
public final class TokenShardWriter implements Closeable {
  private final SimpleGroupFactory groups = new SimpleGroupFactory(TokenShardSchema.SCHEMA);
  private final StagedParquetWriter file;

  public TokenShardWriter(Path target, Configuration conf) throws IOException {
    this.file = new StagedParquetWriter(target, TokenShardSchema.SCHEMA, conf);
  }

  public void write(TokenShardRow r) throws IOException {
    if (r.inputIds().length != r.textLoss().length) {
      throw new IllegalArgumentException("row " + r.key() + "/" + r.task() + ": " + r.inputIds().length
          + " input ids but " + r.textLoss().length + " loss flags");
    }
    Group g = groups.newGroup();
    g.add(TokenShard.KEY, r.key());
    g.add(TokenShard.TASK, r.task());
    g.add(TokenShard.STATUS, r.status());
    if (r.errorMessage() != null) {
      g.add(TokenShard.ERROR_MESSAGE, r.errorMessage());
    }
    for (int id : r.inputIds()) {
      g.add(TokenShard.INPUT_IDS, id);
    }
    for (boolean b : r.textLoss()) {
      g.add(TokenShard.TEXT_LOSS, b);
    }
    g.add(TokenShard.IMAGE_LOSS, r.imageLoss());
    for (TokenShardRow.Tile t : r.tiles()) {
      Group tile = g.addGroup(TokenShard.TILES);
      tile.add(TokenShard.TILE_ROWS, t.rows());
      tile.add(TokenShard.TILE_COLS, t.cols());
      for (int id : t.ids()) {
        tile.add(TokenShard.TILE_IDS, id);
      }
    }
    g.add(TokenShard.FOLD_ROWS, r.foldRows());
    g.add(TokenShard.FOLD_COLS, r.foldCols());
    if (r.textTokenizer() != null) {
      g.add(TokenShard.TEXT_TOKENIZER, r.textTokenizer());
    }
    if (r.vqModel() != null) {
      g.add(TokenShard.VQ_MODEL, r.vqModel());
    }
    file.write(g);
  }

  /** Finishes the file and moves it to its final name. */
  @Override
  public void close() throws IOException {
    file.close();
  }

  /** Gives up on the shard: the temporary file is removed and nothing appears under the name. */
  public void abort() throws IOException {
    file.abort();
  }
}
