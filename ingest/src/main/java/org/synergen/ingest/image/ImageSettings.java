package org.synergen.ingest.image;

import com.typesafe.config.Config;
import java.io.Serializable;
import java.util.Arrays;
import java.util.Locale;

/** Validation and resizing; see conf/ingest.conf. */
public record ImageSettings(
    int size,
    ResizeMode resizeMode,
    boolean resizeOnlyIfBigger,
    long maxPixels,
    int minSize,
    double maxAspectRatio,
    int jpegQuality) implements Serializable {

  public ImageSettings {
    if (jpegQuality < 1 || jpegQuality > 100) {
      throw new IllegalArgumentException("ingest.image.jpeg-quality must be 1..100, got " + jpegQuality);
    }
    if (size < 1) {
      throw new IllegalArgumentException("ingest.image.size must be positive, got " + size);
    }
  }

  public static ImageSettings from(Config c) {
    return new ImageSettings(
        c.getInt("size"),
        choice(ResizeMode.class, "resize-mode", c.getString("resize-mode")),
        c.getBoolean("resize-only-if-bigger"),
        c.getLong("max-pixels"),
        c.getInt("min-size"),
        c.getDouble("max-aspect-ratio"),
        c.getInt("jpeg-quality"));
  }

  /** The enum constant a setting names, in any case; a wrong name is refused with the choices. */
  private static <E extends Enum<E>> E choice(Class<E> type, String key, String value) {
    try {
      return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("ingest.image." + key + " '" + value + "' is not one of "
          + Arrays.toString(type.getEnumConstants()).toLowerCase(Locale.ROOT));
    }
  }
}
