package org.synergen.train.distributed;

import java.io.Serializable;
import java.util.Map;

/**
 * What a local trainer returns after its H steps.
 *
 * @param end          trainable parameters and optimizer state after the last step
 * @param losses       training loss of each step, in order (as computed on the step's batch)
 * @param taskLosses   mean loss over the steps per training task (e.g. "und", "gen")
 * @param gradNorms    global L2 norm of the gradient of each step, before clipping
 * @param learningRate learning rate of the last step
 * @param examples     examples consumed
 * @param tokens       tokens consumed (0 where the model has no tokens)
 */
public record LocalResult(
    WorkerState end, float[] losses, Map<String, Double> taskLosses, float[] gradNorms, double learningRate, long examples, long tokens)
    implements Serializable {}
