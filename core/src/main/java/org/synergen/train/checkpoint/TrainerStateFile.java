package org.synergen.train.checkpoint;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import org.synergen.train.distributed.SliceCursor;

/**
 * {@code trainer_state.json}: where a run stands, so that {@code --resume} continues it exactly.
 *
 * @param format         layout version of this file
 * @param stage          training stage
 * @param round          rounds completed
 * @param step           global inner steps completed (round * local steps)
 * @param dataCursor     where each worker's data slice continues
 * @param seeds          every seed the run's randomness derives from
 * @param outerUpdate    {@code average} or {@code diloco}
 * @param workers        workers the run used
 * @param localSteps     H
 * @param trainable      names in model.safetensors that train in this stage (the rest are frozen)
 * @param optimizerSteps step count of each inner optimizer state in optimizer.safetensors
 */
public record TrainerStateFile(
    @JsonProperty("format") String format,
    @JsonProperty("stage") int stage,
    @JsonProperty("round") long round,
    @JsonProperty("step") long step,
    @JsonProperty("data_cursor") DataCursor dataCursor,
    @JsonProperty("seeds") Seeds seeds,
    @JsonProperty("outer_update") String outerUpdate,
    @JsonProperty("workers") int workers,
    @JsonProperty("local_steps") int localSteps,
    @JsonProperty("trainable") List<String> trainable,
    @JsonProperty("optimizer_steps") List<Long> optimizerSteps) {

  public static final String FORMAT = "synergen-trainer-state/2";

  /**
   * @param nextStep     the global step whose batches come next
   * @param examplesSeen examples consumed over all workers
   * @param tokensSeen   tokens consumed over all workers
   * @param workers      each worker's stream positions (epoch, split, row, shuffle block, samples
   *                     taken of it), in partition order; empty before the first round
   */
  public record DataCursor(
      @JsonProperty("next_step") long nextStep,
      @JsonProperty("examples_seen") long examplesSeen,
      @JsonProperty("tokens_seen") long tokensSeen,
      @JsonProperty("workers") List<SliceCursor> workers) {}

  /**
   * @param base the job's seed; the shuffle of every epoch (split order and each block's order)
   *             and any in-task randomness derive from (base, epoch, task, round, partition), so
   *             no generator state needs saving
   */
  public record Seeds(@JsonProperty("base") long base) {}
}
