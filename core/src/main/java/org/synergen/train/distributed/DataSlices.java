package org.synergen.train.distributed;

import java.io.Serializable;

/**
 * Each worker's own deterministic slice of the training data.
 *
 * <p>The batches of global inner steps {@code [firstStep, firstStep + steps)} of worker
 * {@code partition} must be a pure function of the arguments, {@code from} included (the
 * worker's cursor after the previous round): that makes a retried task see the same data, and a
 * resumed run continue from the checkpoint's cursors. After the last batch, {@link Slice#cursor}
 * says where the next round continues.
 *
 * @param <B> the batch type the model consumes
 */
public interface DataSlices<B> extends Serializable {
  Slice<B> batches(int partition, int workers, long firstStep, int steps, long seed, SliceCursor from);
}
