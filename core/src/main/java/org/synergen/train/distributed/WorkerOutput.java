package org.synergen.train.distributed;

import java.io.Serializable;

/** What one Spark task sends back: its result plus where its time went. */
record WorkerOutput(int partition, LocalResult result, long readNanos, long computeNanos, String nonFiniteTensor)
    implements Serializable {}
