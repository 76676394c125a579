package org.synergen.vision.vq;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.synergen.data.ImageShard;
import org.synergen.data.ImageShardReader;
import org.synergen.data.ImageShardRow;

/**
 * Images for training or evaluating a tokenizer: ingest's Parquet image shards (rows with status
 * {@code success}) or a folder of image files. Sorted by key, so splits are reproducible.
 */
public final class VqImageSet {

  /** One image and where it came from (file name or shard key). */
  public record Named(String key, RgbImage image) {}

  /**
   * @param images  decoded images, by key
   * @param skipped what was not used and why, one line each (failed rows, undecodable files)
   */
  public record Loaded(List<Named> images, List<String> skipped) {}

  private static final List<String> IMAGE_SUFFIXES = List.of(".png", ".jpg", ".jpeg", ".bmp", ".gif");

  private VqImageSet() {}

  /** A folder of images, a folder of *.parquet image shards, or one shard. */
  public static Loaded load(Path input) throws IOException {
    if (!Files.exists(input)) {
      throw new IOException(input + ": no such file or folder (expected image shards or image files)");
    }
    List<Named> images = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    List<Path> files;
    if (Files.isDirectory(input)) {
      try (Stream<Path> s = Files.list(input)) {
        files = s.filter(Files::isRegularFile).sorted().toList();
      }
    } else {
      files = List.of(input);
    }
    for (Path f : files) {
      String name = f.getFileName().toString().toLowerCase(Locale.ROOT);
      if (name.endsWith(".parquet")) {
        readShard(f, images, skipped);
      } else if (IMAGE_SUFFIXES.stream().anyMatch(name::endsWith)) {
        try {
          images.add(new Named(f.getFileName().toString(), VqImages.read(f)));
        } catch (IOException e) {
          skipped.add(f + ": " + e.getMessage());
        }
      }
    }
    if (images.isEmpty()) {
      throw new IOException(input + ": no usable images (looked for *.parquet image shards and "
          + IMAGE_SUFFIXES + " files)" + (skipped.isEmpty() ? "" : "; skipped: " + skipped));
    }
    images.sort(Comparator.comparing(Named::key));
    return new Loaded(images, skipped);
  }

  private static void readShard(Path shard, List<Named> images, List<String> skipped) throws IOException {
    try (ImageShardReader r = new ImageShardReader(
        new org.apache.hadoop.fs.Path(shard.toAbsolutePath().toUri()), new Configuration())) {
      for (ImageShardRow row = r.next(); row != null; row = r.next()) {
        if (!ImageShard.SUCCESS.equals(row.status()) || row.image() == null) {
          skipped.add(shard.getFileName() + " " + row.key() + ": status " + row.status());
          continue;
        }
        try {
          images.add(new Named(row.key(), VqImages.decode(row.image())));
        } catch (IOException e) {
          skipped.add(shard.getFileName() + " " + row.key() + ": " + e.getMessage());
        }
      }
    }
  }

  /** Every k-th image (k = size / count, from the first) for held-out evaluation; the rest train. */
  public static List<List<Named>> split(List<Named> images, int heldOut) {
    if (heldOut < 0 || heldOut >= images.size()) {
      throw new IllegalArgumentException("cannot hold out " + heldOut + " of " + images.size()
          + " images (at least one must remain for training)");
    }
    List<Named> train = new ArrayList<>();
    List<Named> held = new ArrayList<>();
    double every = heldOut == 0 ? Double.POSITIVE_INFINITY : (double) images.size() / heldOut;
    for (int i = 0; i < images.size(); i++) {
      boolean hold = held.size() < heldOut && i >= Math.round(held.size() * every);
      (hold ? held : train).add(images.get(i));
    }
    return List.of(train, held);
  }

  /** The image resized (Pillow-exact bicubic) so that its shorter side is {@code side}. */
  public static RgbImage squareCropSource(RgbImage img, int side) {
    double scale = (double) side / Math.min(img.height(), img.width());
    int h = Math.max(side, (int) Math.round(img.height() * scale));
    int w = Math.max(side, (int) Math.round(img.width() * scale));
    return img.resized(h, w);
  }

  /**
   * The image resized so its shorter side is {@code side}, then the square of that side at the
   * given fractions of the free room (0.5, 0.5: the centre).
   */
  public static RgbImage squareCrop(RgbImage img, int side, double topFraction, double leftFraction) {
    RgbImage resized = squareCropSource(img, side);
    return cropAt(resized, side, (int) Math.round((resized.height() - side) * topFraction),
        (int) Math.round((resized.width() - side) * leftFraction));
  }

  /** The side x side square with its top-left corner at (top, left). */
  public static RgbImage cropAt(RgbImage img, int side, int top, int left) {
    byte[] out = new byte[side * side * 3];
    for (int y = 0; y < side; y++) {
      System.arraycopy(img.data(), ((top + y) * img.width() + left) * 3, out, y * side * 3, side * 3);
    }
    return new RgbImage(side, side, out);
  }

  /** The image mirrored left to right. */
  public static RgbImage flip(RgbImage img) {
    byte[] out = new byte[img.data().length];
    int w = img.width();
    for (int y = 0; y < img.height(); y++) {
      for (int x = 0; x < w; x++) {
        System.arraycopy(img.data(), (y * w + x) * 3, out, (y * w + (w - 1 - x)) * 3, 3);
      }
    }
    return new RgbImage(img.height(), w, out);
  }

  /** A flat image of the same size in the image's mean colour (the baseline a tokenizer must beat). */
  public static RgbImage meanColour(RgbImage img) {
    int px = img.height() * img.width();
    long[] sum = new long[3];
    for (int i = 0; i < px; i++) {
      for (int c = 0; c < 3; c++) {
        sum[c] += img.data()[3 * i + c] & 0xff;
      }
    }
    byte[] out = new byte[px * 3];
    for (int i = 0; i < px; i++) {
      for (int c = 0; c < 3; c++) {
        out[3 * i + c] = (byte) Math.round((double) sum[c] / px);
      }
    }
    return new RgbImage(img.height(), img.width(), out);
  }

  /** Peak signal-to-noise ratio of two same-sized 8-bit images, in dB. */
  public static double psnr(RgbImage a, RgbImage b) {
    if (a.height() != b.height() || a.width() != b.width()) {
      throw new IllegalArgumentException("PSNR of " + a.height() + "x" + a.width() + " vs " + b.height() + "x" + b.width());
    }
    double se = 0;
    for (int i = 0; i < a.data().length; i++) {
      double d = (a.data()[i] & 0xff) - (b.data()[i] & 0xff);
      se += d * d;
    }
    double mse = se / a.data().length;
    return mse == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(255.0 * 255.0 / mse);
  }
}
