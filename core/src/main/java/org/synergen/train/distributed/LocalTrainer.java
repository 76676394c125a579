package org.synergen.train.distributed;

import java.io.Serializable;
import java.util.Iterator;

/**
 * The worker side of a round: the one thing a model must provide to train data-parallel.
 *
 * <p>Contract (the round protocol depends on it):
 * <ul>
 *   <li>A pure function of its arguments. Spark may run the same task twice (retries, speculation)
 *       and the driver relies on getting the same bits back; all randomness comes from
 *       {@link StepWindow#seed()}, {@link StepWindow#round()} and {@link StepWindow#partition()}.
 *   <li>{@code start} is a private copy the trainer may change in place; {@code frozen} is shared
 *       between tasks of one executor and must not be changed.
 *   <li>One optimizer step per batch, {@link StepWindow#steps()} of them; the result returns only
 *       the trainable tensors named in {@code start}, never the frozen ones.
 *   <li>An empty {@link OptimizerState} means fresh moments (zeros).
 *   <li>A non-finite loss or gradient is reported in {@link LocalResult}, not thrown: the driver
 *       names round, partition and step and stops the job without a pointless retry.
 * </ul>
 *
 * @param <B> the batch type the model consumes
 */
public interface LocalTrainer<B> extends Serializable {
  LocalResult train(TensorSet frozen, WorkerState start, Iterator<B> batches, StepWindow window);
}
