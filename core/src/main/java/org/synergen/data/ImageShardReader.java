package org.synergen.data;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.HadoopReadOptions;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.schema.MessageType;

/** Reads the rows of one image shard, in file order. */
public final class ImageShardReader extends GroupShardReader<ImageShardRow> {
  private final List<ExtraColumn> extras;

  public ImageShardReader(Path shard, Configuration conf) throws IOException {
    this(shard, conf, extrasOf(shard, conf));
  }

  private ImageShardReader(Path shard, Configuration conf, List<ExtraColumn> extras) throws IOException {
    super(shard, conf);
    this.extras = extras;
  }

  /** The extra columns, from the file's schema (read before the rows are opened). */
  private static List<ExtraColumn> extrasOf(Path shard, Configuration conf) throws IOException {
    MessageType schema;
    try (ParquetFileReader f = ParquetFileReader.open(HadoopInputFile.fromPath(shard, conf))) {
      schema = f.getFooter().getFileMetaData().getSchema();
    }
    return ImageShardSchema.extrasOf(schema);
  }

  /** The input columns kept in this shard beyond the fixed ones. */
  public List<ExtraColumn> extras() {
    return extras;
  }

  @Override
  ImageShardRow row(Group g) {
    List<Object> extraValues = new ArrayList<>(extras.size());
    for (ExtraColumn c : extras) {
      extraValues.add(c.type().read(g, c.name()));
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
        string(g, ImageShard.JPG_SHA256),
        g.getFieldRepetitionCount(ImageShard.PHASH) == 0 ? null : g.getLong(ImageShard.PHASH, 0),
        string(g, ImageShard.DUPLICATE_OF),
        g.getFieldRepetitionCount(ImageShard.IMAGE) == 0
            ? null : g.getBinary(ImageShard.IMAGE, 0).getBytes(),
        extraValues);
  }

  /** The number of rows of a shard, from its footer (no row is read). */
  public static long rowCount(Path shard, Configuration conf) throws IOException {
    // the options from conf: Parquet's default ones parse Hadoop's XML defaults on every call
    try (ParquetFileReader f = ParquetFileReader.open(HadoopInputFile.fromPath(shard, conf),
        HadoopReadOptions.builder(conf).build())) {
      return f.getRecordCount();
    }
  }

  /** Every row of a shard (for small shards and tests). */
  public static List<ImageShardRow> readAll(Path shard, Configuration conf) throws IOException {
    return drain(new ImageShardReader(shard, conf));
  }


  private static Integer integer(Group g, String f) {
    return g.getFieldRepetitionCount(f) == 0 ? null : g.getInteger(f, 0);
  }
}
