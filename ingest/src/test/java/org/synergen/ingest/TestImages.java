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

  /**
   * A smooth picture made of a few soft coloured blobs on a coloured background, placed at random
   * by {@code seed}: different seeds differ in their low frequencies (what pHash looks at).
   */
  public static BufferedImage picture(int w, int h, int seed) {
    java.util.Random rnd = new java.util.Random(seed * 7919L + 13);
    int blobs = 5;
    double[][] b = new double[blobs][6];
    for (double[] blob : b) {
      blob[0] = rnd.nextDouble() * w;
      blob[1] = rnd.nextDouble() * h;
      blob[2] = (0.1 + 0.3 * rnd.nextDouble()) * Math.min(w, h);
      blob[3] = rnd.nextInt(256);
      blob[4] = rnd.nextInt(256);
      blob[5] = rnd.nextInt(256);
    }
    int bg = rnd.nextInt(0x1000000);
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double r = bg >> 16 & 0xff, g = bg >> 8 & 0xff, bl = bg & 0xff;
        for (double[] blob : b) {
          double d = Math.hypot(x - blob[0], y - blob[1]) / blob[2];
          double a = Math.exp(-d * d);
          r = r * (1 - a) + blob[3] * a;
          g = g * (1 - a) + blob[4] * a;
          bl = bl * (1 - a) + blob[5] * a;
        }
        img.setRGB(x, y, (int) r << 16 | (int) g << 8 | (int) bl);
      }
    }
    return img;
  }

  /** A picture's pixels as interleaved R, G, B bytes (alpha dropped), the layout the image code works in. */
  public static byte[] rgbBytes(BufferedImage img) {
    int w = img.getWidth();
    int[] px = img.getRGB(0, 0, w, img.getHeight(), null, 0, w);
    byte[] out = new byte[px.length * 3];
    for (int i = 0; i < px.length; i++) {
      out[3 * i] = (byte) (px[i] >> 16);
      out[3 * i + 1] = (byte) (px[i] >> 8);
      out[3 * i + 2] = (byte) px[i];
    }
    return out;
  }

  public static byte[] jpeg(BufferedImage img, int quality) throws IOException {
    return jpeg(img, quality, false);
  }

  public static byte[] jpeg(BufferedImage img, int quality, boolean progressive) throws IOException {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (MemoryCacheImageOutputStream o = new MemoryCacheImageOutputStream(out)) {
      writer.setOutput(o);
      ImageWriteParam p = writer.getDefaultWriteParam();
      p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      p.setCompressionQuality(quality / 100f);
      if (progressive) {
        p.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
      }
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
