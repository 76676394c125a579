package org.synergen.train.distributed;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.Serializable;

/**
 * Where one input stream of one worker continues (README "pretrain", data). A stream reads the
 * worker's splits of an epoch in the epoch's order and shuffles them in blocks of a bounded number
 * of samples; the position names the block the next sample comes from.
 *
 * @param epoch  passes over the data completed by this stream
 * @param split  the block's first split, counted in the worker's split order of that epoch
 * @param row    the block's first row inside that split (raw rows, failures included)
 * @param block  the block's number within the epoch (its shuffle derives from it)
 * @param taken  samples of the block already used
 */
public record StreamPosition(
    @JsonProperty("epoch") long epoch,
    @JsonProperty("split") int split,
    @JsonProperty("row") long row,
    @JsonProperty("block") long block,
    @JsonProperty("taken") int taken) implements Serializable {

  public static final StreamPosition START = new StreamPosition(0, 0, 0, 0, 0);
}
