package org.synergen.data;

import java.io.Closeable;
import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.parquet.schema.MessageType;
import org.synergen.io.hadoop.HadoopPaths;

/**
 * A Snappy-compressed Parquet file of rows written to a hidden temporary sibling that {@link #close}
 * renames to the target, so a shard that exists under its name is complete. The shard writers
 * (image, token) turn their rows into groups and hand them here.
 */
final class StagedParquetWriter implements Closeable {
  private final Path target;
  private final Path tmp;
  private final Configuration conf;
  private final ParquetWriter<Group> writer;

  StagedParquetWriter(Path target, MessageType schema, Configuration conf) throws IOException {
    this.target = target;
    this.tmp = HadoopPaths.temporarySibling(target);
    this.conf = conf;
    this.writer = ExampleParquetWriter.builder(HadoopOutputFile.fromPath(tmp, conf))
        .withConf(conf)
        .withType(schema)
        .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
        .withCompressionCodec(CompressionCodecName.SNAPPY)
        .build();
  }

  void write(Group g) throws IOException {
    writer.write(g);
  }

  /** Finishes the file and moves it to its final name. */
  @Override
  public void close() throws IOException {
    writer.close();
    HadoopPaths.moveInto(tmp, target, conf);
  }

  /** Gives up: the temporary file is removed and nothing appears under the name. */
  void abort() throws IOException {
    try {
      writer.close();
    } finally {
      HadoopPaths.fs(tmp, conf).delete(tmp, false);
    }
  }
}
