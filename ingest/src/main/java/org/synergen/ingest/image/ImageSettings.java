package org.synergen.ingest.image;

import com.typesafe.config.Config;
import java.io.Serializable;

/** Validation and resizing; see conf/ingest.conf. */
public record ImageSettings(
    int size,
    ResizeMode resizeMode,
    boolean resizeOnlyIfBigger,
    long maxPixels,
    int minSize,
    double maxAspectRatio,
    int jpegQuality,
    Decoder decoder) implements Serializable {

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
        ResizeMode.parse(c.getString("resize-mode")),
        c.getBoolean("resize-only-if-bigger"),
        c.getLong("max-pixels"),
        c.getInt("min-size"),
        c.getDouble("max-aspect-ratio"),
        c.getInt("jpeg-quality"),
        Decoder.parse(c.getString("decoder")));
  }
}
