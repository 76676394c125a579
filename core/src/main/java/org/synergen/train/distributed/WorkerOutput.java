package org.synergen.train.distributed;

import java.io.Serializable;

/** What one Spark task sends back: its result, where its data continues, and where its time went. */
record WorkerOutput(int partition, LocalResult result, SliceCursor cursor, long readNanos, long computeNanos, String nonFiniteTensor)
    implements Serializable {}
