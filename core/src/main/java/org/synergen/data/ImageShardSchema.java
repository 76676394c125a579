package org.synergen.data;

import static org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.BINARY;
import static org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.BOOLEAN;
import static org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.DOUBLE;
import static org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.FLOAT;
import static org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.INT32;
import static org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.INT64;

import java.util.ArrayList;
import java.util.List;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;

/** The Parquet schema of an image shard: the fixed columns of {@link ImageShard}, then extras. */
public final class ImageShardSchema {
  private ImageShardSchema() {}

  public static MessageType of(List<ExtraColumn> extras) {
    List<Type> fields = new ArrayList<>();
    fields.add(string(ImageShard.KEY, true));
    fields.add(string(ImageShard.URL, false));
    fields.add(string(ImageShard.CAPTION, false));
    fields.add(string(ImageShard.STATUS, true));
    fields.add(string(ImageShard.ERROR_MESSAGE, false));
    fields.add(Types.optional(INT32).named(ImageShard.WIDTH));
    fields.add(Types.optional(INT32).named(ImageShard.HEIGHT));
    fields.add(Types.optional(INT32).named(ImageShard.ORIGINAL_WIDTH));
    fields.add(Types.optional(INT32).named(ImageShard.ORIGINAL_HEIGHT));
    fields.add(string(ImageShard.SHA256, false));
    fields.add(string(ImageShard.JPG_SHA256, false));
    fields.add(Types.optional(INT64).named(ImageShard.PHASH));
    fields.add(string(ImageShard.DUPLICATE_OF, false));
    fields.add(Types.optional(BINARY).named(ImageShard.IMAGE));
    for (ExtraColumn c : extras) {
      fields.add(switch (c.type()) {
        case STRING -> string(c.name(), false);
        case INT -> Types.optional(INT32).named(c.name());
        case LONG -> Types.optional(INT64).named(c.name());
        case FLOAT -> Types.optional(FLOAT).named(c.name());
        case DOUBLE -> Types.optional(DOUBLE).named(c.name());
        case BOOLEAN -> Types.optional(BOOLEAN).named(c.name());
      });
    }
    return new MessageType("image_shard", fields);
  }

  /** The extra columns of a shard schema (everything after the fixed columns). */
  public static List<ExtraColumn> extrasOf(MessageType schema) {
    List<ExtraColumn> extras = new ArrayList<>();
    for (Type t : schema.getFields()) {
      if (ImageShard.COLUMNS.contains(t.getName())) {
        continue;
      }
      PrimitiveType p = t.asPrimitiveType();
      ExtraColumn.Type type = switch (p.getPrimitiveTypeName()) {
        case INT32 -> ExtraColumn.Type.INT;
        case INT64 -> ExtraColumn.Type.LONG;
        case FLOAT -> ExtraColumn.Type.FLOAT;
        case DOUBLE -> ExtraColumn.Type.DOUBLE;
        case BOOLEAN -> ExtraColumn.Type.BOOLEAN;
        default -> ExtraColumn.Type.STRING;
      };
      extras.add(new ExtraColumn(t.getName(), type));
    }
    return extras;
  }

  private static PrimitiveType string(String name, boolean required) {
    return (required ? Types.required(BINARY) : Types.optional(BINARY))
        .as(LogicalTypeAnnotation.stringType()).named(name);
  }
}
