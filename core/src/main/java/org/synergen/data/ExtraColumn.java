package org.synergen.data;

import java.io.Serializable;
import org.apache.parquet.example.data.Group;

/**
 * A column of the input metadata kept as is in the image shards (LAION's similarity, NSFW,
 * LICENSE...). Values of other input types arrive here already converted to strings.
 */
public record ExtraColumn(String name, Type type) implements Serializable {
  public enum Type {
    STRING, INT, LONG, FLOAT, DOUBLE, BOOLEAN;

    /** The value of {@code field} in a Parquet row read as this type; null when the row has none. */
    public Object read(Group g, String field) {
      if (g.getFieldRepetitionCount(field) == 0) {
        return null;
      }
      return switch (this) {
        case STRING -> g.getString(field, 0);
        case INT -> g.getInteger(field, 0);
        case LONG -> g.getLong(field, 0);
        case FLOAT -> g.getFloat(field, 0);
        case DOUBLE -> g.getDouble(field, 0);
        case BOOLEAN -> g.getBoolean(field, 0);
      };
    }
  }
}
