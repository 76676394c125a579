package org.synergen.eval.run;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import javax.imageio.ImageIO;
import org.synergen.eval.data.EvalInputException;

/**
 * One benchmark image, decoded only when the model needs it: a file of an image folder, or the
 * base64 text of a VLMEvalKit TSV cell. Serializable (paths as text) so that Spark executors can
 * decode it; with {@code --master} the files must be visible to every executor.
 *
 * @param origin where it was named, for errors ("FILE:ROW")
 */
public record ImageRef(String origin, String file, String base64) implements Serializable {
  public static ImageRef file(String origin, Path file) {
    if (!Files.isRegularFile(file)) {
      throw new EvalInputException(origin + ": image " + file + " does not exist; point --images at the "
          + "benchmark's image folder");
    }
    return new ImageRef(origin, file.toString(), null);
  }

  public static ImageRef base64(String origin, String base64) {
    return new ImageRef(origin, null, base64);
  }

  public BufferedImage decode() {
    byte[] bytes;
    try {
      bytes = file != null ? Files.readAllBytes(Path.of(file)) : Base64.getMimeDecoder().decode(base64);
    } catch (IOException e) {
      throw new EvalInputException(origin + ": cannot read image " + file + " (" + e.getMessage() + ")");
    } catch (IllegalArgumentException e) {
      throw new EvalInputException(origin + ": the image cell is not valid base64 (" + e.getMessage() + ")");
    }
    BufferedImage image;
    try {
      image = ImageIO.read(new ByteArrayInputStream(bytes));
    } catch (IOException e) {
      image = null;
    }
    if (image == null) {
      throw new EvalInputException(origin + ": " + (file != null ? file : "the base64 image")
          + " is not an image ImageIO can decode (PNG, JPEG, BMP, GIF, TIFF)");
    }
    return image;
  }
}
