package org.synergen.eval.fid;

import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.synergen.eval.data.EvalInputException;

/**
 * The images of one folder, as pytorch-fid's fid_score collects them: the files directly inside
 * (not sub-folders) whose extension is an image one, in sorted order, each decoded to RGB as PIL's
 * convert("RGB") does (alpha dropped, grey replicated). Decoding is Java's ImageIO: PNG, BMP, GIF,
 * TIFF and JPEG. PNG pixels are bit-exact with PIL; JPEG decoders may differ by a level here and
 * there, so PNG is the format to score.
 */
public final class ImageFolder {
  /** pytorch-fid's IMAGE_EXTENSIONS, matched case-insensitively, plus gif. */
  private static final Set<String> EXTENSIONS =
      Set.of("bmp", "jpg", "jpeg", "pgm", "png", "ppm", "tif", "tiff", "webp", "gif");

  private ImageFolder() {}

  /** The image files of a folder, sorted; an error when there is no such folder or no image in it. */
  public static List<Path> list(Path folder) {
    if (!Files.isDirectory(folder)) {
      throw new EvalInputException(folder, "no such folder of images");
    }
    List<Path> files;
    try (Stream<Path> entries = Files.list(folder)) {
      files = entries.filter(Files::isRegularFile).filter(ImageFolder::isImageName).sorted().toList();
    } catch (IOException e) {
      throw new EvalInputException(folder, "cannot list the folder (" + e.getMessage() + ")");
    }
    if (files.isEmpty()) {
      throw new EvalInputException(folder, "holds no images (looked for " + String.join(", ", EXTENSIONS.stream()
          .sorted().toList()) + " files directly inside it; sub-folders are not searched)");
    }
    return files;
  }

  /** One image as float [height][width][3] on the 0-255 scale. */
  public static float[][][] read(Path file) {
    BufferedImage image;
    try {
      image = ImageIO.read(file.toFile());
    } catch (IOException | RuntimeException e) {
      throw new EvalInputException(file, "cannot decode the image (" + e.getMessage() + ")");
    }
    if (image == null) {
      throw new EvalInputException(file, "not an image format Java can decode (PNG, JPEG, BMP, GIF or TIFF; "
          + "convert it, e.g. to PNG)");
    }
    int h = image.getHeight();
    int w = image.getWidth();
    float[][][] out = new float[h][w][3];
    Raster raster = image.getRaster();
    // 8-bit grey (with or without alpha) is read raw: getRGB would pass it through a linear-grey
    // colour space and brighten it, where PIL copies the level into R, G and B.
    boolean grey = image.getColorModel() instanceof ComponentColorModel && raster.getNumBands() <= 2
        && image.getColorModel().getComponentSize(0) == 8;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        if (grey) {
          float v = raster.getSample(x, y, 0);
          out[y][x][0] = v;
          out[y][x][1] = v;
          out[y][x][2] = v;
        } else {
          int argb = image.getRGB(x, y);
          out[y][x][0] = (argb >> 16) & 0xff;
          out[y][x][1] = (argb >> 8) & 0xff;
          out[y][x][2] = argb & 0xff;
        }
      }
    }
    return out;
  }

  private static boolean isImageName(Path p) {
    String name = p.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot > 0 && EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
  }
}
