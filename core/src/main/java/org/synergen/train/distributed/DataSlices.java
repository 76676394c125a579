package org.synergen.train.distributed;

import java.io.Serializable;
import java.util.Iterator;

/**
 * Each worker's own deterministic slice of the training data.
 *
 * <p>The batches of global inner steps {@code [firstStep, firstStep + steps)} of worker
 * {@code partition} must be a pure function of the arguments: that makes a retried task see the
 * same data, and makes the data cursor of a checkpoint just the next step index.
 *
 * @param <B> the batch type the model consumes
 */
public interface DataSlices<B> extends Serializable {
  Iterator<B> batches(int partition, int workers, long firstStep, int steps, long seed);
}
