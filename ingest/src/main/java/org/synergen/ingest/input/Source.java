package org.synergen.ingest.input;

import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.synergen.data.ExtraColumn;

/**
 * The input as rows in a fixed order: files by name, rows by position within a file, so a re-run
 * over the same input gives every row the same index (resume depends on it).
 *
 * @param baseDir qualified folder that relative URLs in the rows resolve against
 * @param size    the number of rows when the reader knows it without a pass over them, else -1
 */
public record Source(JavaRDD<SourceRow> rows, List<ExtraColumn> extras, String baseDir,
    String description, long size) {}
