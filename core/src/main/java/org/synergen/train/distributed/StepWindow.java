package org.synergen.train.distributed;

import java.io.Serializable;

/**
 * Where one task sits in the run: which round and worker, and which inner steps it runs.
 *
 * @param round     round index, from 0
 * @param partition this worker's index, 0 .. workers-1 (the Spark partition)
 * @param workers   number of workers in the round
 * @param firstStep global index of this round's first inner step (round * local steps), drives the
 *                  learning-rate schedule and the data cursor
 * @param steps     local optimizer steps to run (H)
 * @param seed      the job's base seed; a task derives its own randomness from (seed, round, partition)
 */
public record StepWindow(long round, int partition, int workers, long firstStep, int steps, long seed)
    implements Serializable {}
