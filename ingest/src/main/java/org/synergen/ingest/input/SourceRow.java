package org.synergen.ingest.input;

import java.io.Serializable;
import java.util.List;

/**
 * One input row in job order.
 *
 * @param index  position in the whole input (decides the shard and the key)
 * @param extras values of the input's kept columns, in {@link Source#extras()} order
 */
public record SourceRow(long index, String url, String caption, List<Object> extras)
    implements Serializable {}
