package org.synergen.train.distributed;

import java.util.List;

/** One finished round: the new state, every worker's report, and the time split. */
public record RoundResult(TrainingState state, List<WorkerReport> reports, RoundTiming timing) {}
