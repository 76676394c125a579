package org.synergen.data;

import java.io.Closeable;
import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.synergen.io.hadoop.HadoopPaths;

/**
 * Writes one token shard. Rows go to a hidden temporary file that {@link #close} renames to the
 * target, so a shard that exists under its name is complete.
 */
public final class TokenShardWriter implements Closeable {
  private final Path target;
  private final Path tmp;
  private final Configuration conf;
  private final SimpleGroupFactory groups = new SimpleGroupFactory(TokenShardSchema.SCHEMA);
  private final ParquetWriter<Group> writer;

  public TokenShardWriter(Path target, Configuration conf) throws IOException {
    this.target = target;
    this.tmp = HadoopPaths.temporarySibling(target);
    this.conf = conf;
    this.writer = ExampleParquetWriter.builder(HadoopOutputFile.fromPath(tmp, conf))
        .withConf(conf)
        .withType(TokenShardSchema.SCHEMA)
        .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
        .withCompressionCodec(CompressionCodecName.SNAPPY)
        .build();
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
    writer.write(g);
  }

  /** Finishes the file and moves it to its final name. */
  @Override
  public void close() throws IOException {
    writer.close();
    HadoopPaths.moveInto(tmp, target, conf);
  }

  /** Gives up on the shard: the temporary file is removed and nothing appears under the name. */
  public void abort() throws IOException {
    try {
      writer.close();
    } finally {
      HadoopPaths.fs(tmp, conf).delete(tmp, false);
    }
  }
}
