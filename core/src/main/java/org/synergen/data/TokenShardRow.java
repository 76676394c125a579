package org.synergen.data;

import java.io.Serializable;
import java.util.List;

/**
 * One row of a token shard: one training sample as tokenize-job writes it and the trainers read it
 * (docs/formats.md). The text part is an id sequence in which every folded image token is a
 * placeholder; the image part lists the VQ id grid of each tile in the order its folded tokens
 * appear.
 *
 * @param key             the image shard row this sample came from
 * @param task            {@link #UNDERSTANDING} or {@link #GENERATION}
 * @param status          {@code success}, or a failure status (the row then carries no ids)
 * @param errorMessage    why tokenization failed; null on success
 * @param inputIds        text token ids, {@link #IMAGE_PLACEHOLDER} at folded image positions
 * @param textLoss        per position: {@code inputIds[i]} is a text-CE target (predicted from i - 1)
 * @param imageLoss       the image ids are targets of the unfolding head (generation samples)
 * @param tiles           VQ id grids in placeholder order (tiles in raster order, then thumbnail)
 * @param foldRows        m the placeholders were counted with (tokens per tile = rows*cols/(m*n))
 * @param foldCols        n
 * @param textTokenizer   identity hash of the text tokenizer
 * @param vqModel         identity hash of the VQ tokenizer
 */
public record TokenShardRow(
    String key,
    String task,
    String status,
    String errorMessage,
    int[] inputIds,
    boolean[] textLoss,
    boolean imageLoss,
    List<Tile> tiles,
    int foldRows,
    int foldCols,
    String textTokenizer,
    String vqModel) implements Serializable {

  public static final String UNDERSTANDING = "und";
  public static final String GENERATION = "gen";
  public static final String SUCCESS = "success";
  /** Same value as {@code org.synergen.text.TokenSequence.IMAGE_PLACEHOLDER}. */
  public static final int IMAGE_PLACEHOLDER = -1;

  /** One tile's VQ ids, row-major {@code rows x cols}. */
  public record Tile(int rows, int cols, int[] ids) implements Serializable {
    public Tile {
      if (ids.length != rows * cols) {
        throw new IllegalArgumentException("tile of " + rows + "x" + cols + " holds " + ids.length + " ids");
      }
    }
  }
}
