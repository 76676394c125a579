package org.synergen.train.data;

import org.synergen.model.Batch;

/**
 * What one optimizer step consumes: a batch per task, understanding and generation, as the paper
 * trains them together every step.
 *
 * @param understanding packed understanding samples
 * @param generation    packed generation samples
 * @param samples       samples in both batches
 * @param tokens        non-padding positions in both batches
 */
public record StepBatches(Batch understanding, Batch generation, int samples, long tokens) {}
