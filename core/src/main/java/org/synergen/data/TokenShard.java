package org.synergen.data;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.synergen.io.hadoop.HadoopPaths;

/**
 * The token-shard format written by tokenize-job and read by the trainers (docs/formats.md):
 * one Parquet file per shard, {@code 00000.parquet}, ..., one row per sample
 * ({@link TokenShardRow}), each with a {@code 00000_stats.json} ({@link TokenShardStats}) beside
 * it. Token shard N holds the samples of image shard N.
 */
public final class TokenShard {
  private TokenShard() {}

  // Columns, in file order.
  public static final String KEY = "key";
  public static final String TASK = "task";
  public static final String STATUS = "status";
  public static final String ERROR_MESSAGE = "error_message";
  /** Text token ids, {@link TokenShardRow#IMAGE_PLACEHOLDER} at folded image positions. */
  public static final String INPUT_IDS = "input_ids";
  public static final String TEXT_LOSS = "text_loss";
  public static final String IMAGE_LOSS = "image_loss";
  /** Repeated group of tiles: {@code rows}, {@code cols}, {@code ids} (row-major). */
  public static final String TILES = "tiles";
  public static final String TILE_ROWS = "rows";
  public static final String TILE_COLS = "cols";
  public static final String TILE_IDS = "ids";
  public static final String FOLD_ROWS = "fold_rows";
  public static final String FOLD_COLS = "fold_cols";
  public static final String TEXT_TOKENIZER = "text_tokenizer";
  public static final String VQ_MODEL = "vq_model";

  /** Status of a row whose image shard row was a success but could not be tokenized. */
  public static final String FAILED_TO_TOKENIZE = "failed_to_tokenize";

  public static String parquetName(int shard) {
    return ImageShard.parquetName(shard);
  }

  public static String statsName(int shard) {
    return ImageShard.statsName(shard);
  }

  /**
   * The shard files of a token-shard folder ({@code NNNNN.parquet}), sorted by name. Hidden
   * temporary files of unfinished shards and the JSON files are not listed.
   */
  public static List<Path> list(Path dir, Configuration conf) throws IOException {
    List<Path> shards = new ArrayList<>();
    for (FileStatus f : HadoopPaths.listFiles(dir, conf)) {
      String n = f.getPath().getName();
      if (n.matches("\\d{5,}\\.parquet")) {
        shards.add(f.getPath());
      }
    }
    return shards;
  }
}
