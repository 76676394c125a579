package org.synergen.ingest.image;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.spi.ImageWriterSpi;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.synergen.ingest.dedup.PerceptualHash;

/**
 * Downloaded bytes -> a validated, resized, re-encoded JPEG. The size limits are checked on the
 * header's dimensions, before a single pixel is decoded, so a decompression bomb costs nothing.
 * ImageIO decodes (the JDK's libjpeg through TwelveMonkeys for JPEGs; libjpeg's "corrupt data"
 * warnings refuse a damaged picture) and encodes; OpenCV resizes colour pictures. Thread-safe.
 */
public final class ImageProcessor {
  static {
    // Spark may load our jars after ImageIO first looked for plug-ins (TwelveMonkeys JPEG/WebP).
    ImageIO.scanForPlugins();
  }

  /** The output picture's pixels, reused by each thread (the picture is encoded and hashed, then dropped). */
  private static final ReusedBytes CANVAS = new ReusedBytes();

  /** The JPEG writer ImageIO picks; looking it up for every image cost 5% of the CPU. */
  private static final ImageWriterSpi JPEG_WRITER = jpegWriter();

  private final ImageSettings s;

  /** Runs this class's static set-up now (ImageIO's plug-in scan, the JPEG writer's look-up). */
  static void load() {}

  public ImageProcessor(ImageSettings s) {
    this.s = s;
  }

  public ProcessedImage process(byte[] bytes) throws ImageRejected {
    try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        throw new ImageRejected("not an image", "no decoder recognises the data (starts with "
            + preview(bytes) + ")");
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, true, true);
        int w = reader.getWidth(0);
        int h = reader.getHeight(0);
        check(w, h);
        BufferedImage img = decode(reader, w, h);
        Geometry g = geometry(img.getWidth(), img.getHeight());
        byte[] canvas = canvas(g);
        resize(new RgbRows(img), img.getHeight(), g, canvas);
        return finish(canvas, g, w, h, sha256(bytes));
      } finally {
        reader.dispose();
      }
    } catch (IOException | RuntimeException e) {
      throw new ImageRejected("decode error", e.getClass().getSimpleName() + ": " + e.getMessage());
    }
  }

  private Geometry geometry(int w, int h) {
    return Geometry.of(w, h, s.size(), s.resizeMode(), s.resizeOnlyIfBigger());
  }

  /**
   * The area resize of a decoded picture: OpenCV's for interleaved 3-byte pixels (what colour
   * JPEGs decode to: about 3x faster than ours and equal within one level), ours for the other
   * layouts (grey, alpha, converted CMYK), which it reads row by row. Both write interleaved
   * R, G, B bytes straight into their place on the canvas, which the encoder and the hash read as
   * they are.
   */
  private static void resize(RgbRows rows, int height, Geometry g, byte[] canvas) {
    int at = 3 * (g.padY() * g.canvasW() + g.padX());
    int stride = 3 * g.canvasW();
    if (rows.interleaved() != null) {
      OpenCvImages.resizeInterleaved(rows.interleaved(), rows.redFirst(), rows.width(), height, g,
          canvas, at, stride);
    } else {
      AreaResampler.resample(rows, g.cropX(), g.cropY(), g.cropW(), g.cropH(), g.scaledW(),
          g.scaledH(), canvas, at, stride);
    }
  }

  /** This thread's canvas for g: white where the scaled picture will not cover it. */
  private static byte[] canvas(Geometry g) {
    int n = 3 * g.canvasW() * g.canvasH();
    byte[] canvas = CANVAS.atLeast(n);
    if (g.canvasW() != g.scaledW() || g.canvasH() != g.scaledH()) {
      java.util.Arrays.fill(canvas, 0, n, (byte) 0xff);
    }
    return canvas;
  }

  /** img2dataset's checks and messages, applied to the header's dimensions. */
  private void check(int w, int h) throws ImageRejected {
    if (w <= 0 || h <= 0) {
      throw new ImageRejected("decode error", "header says " + w + " x " + h, w, h);
    }
    if (Math.min(w, h) < s.minSize()) {
      throw new ImageRejected("image too small", w + " x " + h + ", minimum side " + s.minSize(), w, h);
    }
    if ((long) w * h > s.maxPixels()) {
      throw new ImageRejected("image area too large",
          w + " x " + h + " pixels, limit " + s.maxPixels() + " (not decoded)", w, h);
    }
    if ((double) Math.max(w, h) / Math.min(w, h) > s.maxAspectRatio()) {
      throw new ImageRejected("aspect ratio too large",
          w + " x " + h + ", limit " + s.maxAspectRatio(), w, h);
    }
  }

  private BufferedImage decode(ImageReader reader, int w, int h) throws IOException, ImageRejected {
    List<String> warnings = new ArrayList<>();
    reader.addIIOReadWarningListener((src, message) -> warnings.add(message));
    BufferedImage img;
    try (PixelBudget.Lease lease = PixelBudget.acquire((long) w * h)) {
      img = reader.read(0, readParam(reader, w, h));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for decode memory", e);
    }
    for (String warning : warnings) {
      String m = warning.toLowerCase(Locale.ROOT);
      // libjpeg fills a truncated image with grey and only warns: a half-grey picture is refused
      if (m.contains("truncat") || m.contains("premature end") || m.contains("missing eoi")
          || m.contains("corrupt")) {
        throw new ImageRejected("truncated image", warning, w, h);
      }
    }
    return img;
  }

  /**
   * Colour JPEGs without a colour profile of their own decode into interleaved R, G, B bytes
   * (InterleavedRgb: the same pixels, fewer copies); every other image into the reader's default.
   */
  private static ImageReadParam readParam(ImageReader reader, int w, int h) throws IOException {
    ImageReadParam p = reader.getDefaultReadParam();
    if ("jpeg".equalsIgnoreCase(reader.getFormatName())) {
      ImageTypeSpecifier raw = reader.getRawImageType(0);
      if (raw != null && raw.getNumBands() == 3 && raw.getColorModel().getColorSpace().isCS_sRGB()) {
        p.setDestination(InterleavedRgb.decodeTarget(w, h));
      }
    }
    return p;
  }

  /** Encodes the canvas (R, G, B bytes) and hashes both ends. */
  private ProcessedImage finish(byte[] canvas, Geometry g, int ow, int oh, String sha256)
      throws IOException {
    byte[] jpeg = encode(canvas, g.canvasW(), g.canvasH());
    return new ProcessedImage(jpeg, g.canvasW(), g.canvasH(), ow, oh, sha256, sha256(jpeg),
        PerceptualHash.of(canvas, g.canvasW(), g.canvasH()));
  }

  private byte[] encode(byte[] rgb, int w, int h) throws IOException {
    // the JPEG writer copies rows of interleaved R, G, B bytes as they are; from packed ints (or
    // B, G, R) it converts them through the raster API, which doubled the encode time (same bytes)
    BufferedImage out = InterleavedRgb.of(rgb, w, h);
    ImageWriter writer = JPEG_WRITER.createWriterInstance();
    // quality 95 takes about 0.6 bytes a pixel: room for that, so the stream rarely grows
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(w * h * 3 / 4 + 1024);
    try (MemoryCacheImageOutputStream o = new MemoryCacheImageOutputStream(bytes)) {
      writer.setOutput(o);
      ImageWriteParam p = writer.getDefaultWriteParam();
      p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      p.setCompressionQuality(s.jpegQuality() / 100f);
      writer.write(null, new IIOImage(out, null, null), p);
    } finally {
      writer.dispose();
    }
    return bytes.toByteArray();
  }

  private static ImageWriterSpi jpegWriter() {
    ImageWriter w = ImageIO.getImageWritersByFormatName("jpeg").next();
    try {
      return w.getOriginatingProvider();
    } finally {
      w.dispose();
    }
  }

  public static String sha256(byte[] b) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  private static String preview(byte[] b) {
    String s = new String(b, 0, Math.min(b.length, 24), StandardCharsets.ISO_8859_1)
        .replaceAll("[^\\x20-\\x7e]", ".");
    return "'" + s + "', " + b.length + " bytes";
  }
}
