package org.synergen.ingest;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/** Images made for tests, with properties known by construction. */
public final class TestImages {
  private TestImages() {}

  /** A smooth picture with structure (rings and a diagonal), different for each seed. */
  public static BufferedImage picture(int w, int h, int seed) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    java.util.Random rnd = new java.util.Random(seed);
    double cx = w * (0.2 + 0.6 * rnd.nextDouble());
    double cy = h * (0.2 + 0.6 * rnd.nextDouble());
    double f = 0.02 + 0.08 * rnd.nextDouble();
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double d = Math.hypot(x - cx, y - cy);
        int r = (int) (127 + 120 * Math.sin(d * f));
        int g = (int) (255.0 * x / w);
        int b = (int) (255.0 * (x + y) / (w + h));
        img.setRGB(x, y, r << 16 | g << 8 | b);
      }
    }
    return img;
  }

  public static byte[] jpeg(BufferedImage img, int quality) throws IOException {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (MemoryCacheImageOutputStream o = new MemoryCacheImageOutputStream(out)) {
      writer.setOutput(o);
      ImageWriteParam p = writer.getDefaultWriteParam();
      p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      p.setCompressionQuality(quality / 100f);
      writer.write(null, new IIOImage(img, null, null), p);
    } finally {
      writer.dispose();
    }
    return out.toByteArray();
  }

  public static byte[] png(BufferedImage img) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(img, "png", out);
    return out.toByteArray();
  }

  /**
   * A valid, all-black 1-bit PNG of w x h pixels, built by hand: a 20000 x 20000 one is about
   * 50 KB on the wire and 400 M pixels once decoded (a decompression bomb).
   */
  public static byte[] hugePng(int w, int h) throws IOException {
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    png.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
    ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
    writeInt(ihdr, w);
    writeInt(ihdr, h);
    ihdr.write(new byte[] {1, 0, 0, 0, 0}); // bit depth 1, greyscale, deflate, no filter, no interlace
    chunk(png, "IHDR", ihdr.toByteArray());
    ByteArrayOutputStream idat = new ByteArrayOutputStream();
    try (DeflaterOutputStream z = new DeflaterOutputStream(idat, new Deflater(9))) {
      byte[] row = new byte[1 + (w + 7) / 8]; // filter byte 0 + zero bits
      for (int y = 0; y < h; y++) {
        z.write(row);
      }
    }
    chunk(png, "IDAT", idat.toByteArray());
    chunk(png, "IEND", new byte[0]);
    return png.toByteArray();
  }

  private static void chunk(ByteArrayOutputStream out, String type, byte[] data) throws IOException {
    writeInt(out, data.length);
    byte[] t = type.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    out.write(t);
    out.write(data);
    CRC32 crc = new CRC32();
    crc.update(t);
    crc.update(data);
    writeInt(out, (int) crc.getValue());
  }

  private static void writeInt(ByteArrayOutputStream out, int v) {
    out.write(v >>> 24);
    out.write(v >>> 16);
    out.write(v >>> 8);
    out.write(v);
  }
}
