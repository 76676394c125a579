package org.synergen.train.checkpoint;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import org.synergen.train.distributed.TensorSet;

/**
 * How checkpoints serialise named tensors. Streams rather than files, so that the same code writes
 * to {@code file://}, {@code hdfs://} and {@code s3a://} through Hadoop's FileSystem.
 */
public interface TensorCodec {
  void write(TensorSet tensors, Map<String, String> metadata, OutputStream out) throws IOException;

  TensorSet read(InputStream in) throws IOException;
}
