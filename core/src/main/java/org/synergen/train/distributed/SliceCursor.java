package org.synergen.train.distributed;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where one worker's data slice continues: a position per input stream (e.g. "und", "gen").
 * Empty for data that is a pure function of the step, and at the start of a run. Workers hand it
 * back after every round; the driver keeps it in the {@link TrainingState} and in checkpoints.
 */
public record SliceCursor(Map<String, StreamPosition> streams) implements Serializable {
  public static final SliceCursor START = new SliceCursor(Map.of());

  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public SliceCursor {
    streams = new TreeMap<>(streams);
  }

  @JsonValue
  public Map<String, StreamPosition> streams() {
    return streams;
  }

  /** The position of {@code stream}, {@link StreamPosition#START} if it has not begun. */
  public StreamPosition of(String stream) {
    return streams.getOrDefault(stream, StreamPosition.START);
  }
}
