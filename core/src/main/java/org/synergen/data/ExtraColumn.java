package org.synergen.data;

import java.io.Serializable;

/**
 * A column of the input metadata kept as is in the image shards (LAION's similarity, NSFW,
 * LICENSE...). Values of other input types arrive here already converted to strings.
 */
public record ExtraColumn(String name, Type type) implements Serializable {
  public enum Type { STRING, INT, LONG, FLOAT, DOUBLE, BOOLEAN }
}
