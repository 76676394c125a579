package org.synergen.ingest.output;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.synergen.io.hadoop.HadoopPaths;

/** JSON files of the output folder, written atomically. */
public final class Json {
  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private Json() {}

  public static void write(Path p, Object value, Configuration conf) throws IOException {
    HadoopPaths.writeString(p, MAPPER.writeValueAsString(value) + "\n", conf);
  }

  public static <T> T read(Path p, Class<T> type, Configuration conf) throws IOException {
    return MAPPER.readValue(HadoopPaths.readString(p, conf), type);
  }
}
