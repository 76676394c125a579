package org.synergen.data;

import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.schema.MessageType;

/** Reads the rows of one image shard, in file order. */
public final class ImageShardReader implements Closeable {
  private final ParquetReader<Group> reader;
  private final List<ExtraColumn> extras;

  public ImageShardReader(Path shard, Configuration conf) throws IOException {
    MessageType schema;
    try (ParquetFileReader f = ParquetFileReader.open(HadoopInputFile.fromPath(shard, conf))) {
      schema = f.getFooter().getFileMetaData().getSchema();
    }
    this.extras = ImageShardSchema.extrasOf(schema);
    this.reader = ParquetReader.builder(new GroupReadSupport(), shard).withConf(conf).build();
  }

  /** The input columns kept in this shard beyond the fixed ones. */
  public List<ExtraColumn> extras() {
    return extras;
  }

  /** The next row, or null at the end of the shard. */
  public ImageShardRow next() throws IOException {
    Group g = reader.read();
    if (g == null) {
      return null;
    }
    List<Object> extraValues = new ArrayList<>(extras.size());
    for (ExtraColumn c : extras) {
      String n = c.name();
      if (g.getFieldRepetitionCount(n) == 0) {
        extraValues.add(null);
        continue;
      }
      extraValues.add(switch (c.type()) {
        case STRING -> g.getString(n, 0);
        case INT -> g.getInteger(n, 0);
        case LONG -> g.getLong(n, 0);
        case FLOAT -> g.getFloat(n, 0);
        case DOUBLE -> g.getDouble(n, 0);
        case BOOLEAN -> g.getBoolean(n, 0);
      });
    }
    return new ImageShardRow(
        g.getString(ImageShard.KEY, 0),
        string(g, ImageShard.URL),
        string(g, ImageShard.CAPTION),
        g.getString(ImageShard.STATUS, 0),
        string(g, ImageShard.ERROR_MESSAGE),
        integer(g, ImageShard.WIDTH),
        integer(g, ImageShard.HEIGHT),
        integer(g, ImageShard.ORIGINAL_WIDTH),
        integer(g, ImageShard.ORIGINAL_HEIGHT),
        string(g, ImageShard.SHA256),
        g.getFieldRepetitionCount(ImageShard.PHASH) == 0 ? null : g.getLong(ImageShard.PHASH, 0),
        string(g, ImageShard.DUPLICATE_OF),
        g.getFieldRepetitionCount(ImageShard.IMAGE) == 0
            ? null : g.getBinary(ImageShard.IMAGE, 0).getBytes(),
        extraValues);
  }

  /** Every row of a shard (for small shards and tests). */
  public static List<ImageShardRow> readAll(Path shard, Configuration conf) throws IOException {
    List<ImageShardRow> rows = new ArrayList<>();
    try (ImageShardReader r = new ImageShardReader(shard, conf)) {
      for (ImageShardRow row = r.next(); row != null; row = r.next()) {
        rows.add(row);
      }
    }
    return rows;
  }

  @Override
  public void close() throws IOException {
    reader.close();
  }

  private static String string(Group g, String f) {
    return g.getFieldRepetitionCount(f) == 0 ? null : g.getString(f, 0);
  }

  private static Integer integer(Group g, String f) {
    return g.getFieldRepetitionCount(f) == 0 ? null : g.getInteger(f, 0);
  }
}
