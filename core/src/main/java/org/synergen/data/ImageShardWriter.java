package org.synergen.data;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.MessageType;

/**
 * Writes one image shard. Rows go to a hidden temporary file that {@link #close} renames to the
 * target, so a shard that exists under its name is complete.
 */
public final class ImageShardWriter implements Closeable {
  private final List<ExtraColumn> extras;
  private final SimpleGroupFactory groups;
  private final StagedParquetWriter file;

  public ImageShardWriter(Path target, List<ExtraColumn> extras, Configuration conf)
      throws IOException {
    this.extras = extras;
    MessageType schema = ImageShardSchema.of(extras);
    this.groups = new SimpleGroupFactory(schema);
    this.file = new StagedParquetWriter(target, schema, conf);
  }

  public void write(ImageShardRow r) throws IOException {
    Group g = groups.newGroup();
    g.add(ImageShard.KEY, r.key());
    addString(g, ImageShard.URL, r.url());
    addString(g, ImageShard.CAPTION, r.caption());
    g.add(ImageShard.STATUS, r.status());
    addString(g, ImageShard.ERROR_MESSAGE, r.errorMessage());
    addInt(g, ImageShard.WIDTH, r.width());
    addInt(g, ImageShard.HEIGHT, r.height());
    addInt(g, ImageShard.ORIGINAL_WIDTH, r.originalWidth());
    addInt(g, ImageShard.ORIGINAL_HEIGHT, r.originalHeight());
    addString(g, ImageShard.SHA256, r.sha256());
    addString(g, ImageShard.JPG_SHA256, r.jpgSha256());
    if (r.phash() != null) {
      g.add(ImageShard.PHASH, r.phash().longValue());
    }
    addString(g, ImageShard.DUPLICATE_OF, r.duplicateOf());
    if (r.image() != null) {
      g.add(ImageShard.IMAGE, Binary.fromConstantByteArray(r.image()));
    }
    for (int i = 0; i < extras.size(); i++) {
      Object v = r.extras().get(i);
      if (v == null) {
        continue;
      }
      String name = extras.get(i).name();
      switch (extras.get(i).type()) {
        case STRING -> g.add(name, (String) v);
        case INT -> g.add(name, ((Number) v).intValue());
        case LONG -> g.add(name, ((Number) v).longValue());
        case FLOAT -> g.add(name, ((Number) v).floatValue());
        case DOUBLE -> g.add(name, ((Number) v).doubleValue());
        case BOOLEAN -> g.add(name, (Boolean) v);
      }
    }
    file.write(g);
  }

  /** Finishes the file and moves it to its final name. */
  @Override
  public void close() throws IOException {
    file.close();
  }

  /** Gives up on the shard: the temporary file is removed and nothing appears under the name. */
  public void abort() throws IOException {
    file.abort();
  }

  private static void addString(Group g, String field, String v) {
    if (v != null) {
      g.add(field, v);
    }
  }

  private static void addInt(Group g, String field, Integer v) {
    if (v != null) {
      g.add(field, v.intValue());
    }
  }
}
