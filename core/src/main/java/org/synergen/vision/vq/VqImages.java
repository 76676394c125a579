package org.synergen.vision.vq;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Image files <-> RGB bytes <-> tokenizer pixels in [-1, 1], as Emu3's image processor does. */
public final class VqImages {
  private VqImages() {}

  public static RgbImage read(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException(file + ": no such image file");
    }
    try {
      return decode(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new IOException(file + ": " + e.getMessage(), e);
    }
  }

  /** Decodes PNG / JPEG / BMP / GIF bytes; grey is replicated to RGB and alpha dropped (PIL's convert("RGB")). */
  public static RgbImage decode(byte[] bytes) throws IOException {
    BufferedImage img = ImageIO.read(new ByteArrayInputStream(bytes));
    if (img == null) {
      throw new IOException("not an image format this JVM can decode (PNG, JPEG, BMP, GIF are)");
    }
    int h = img.getHeight();
    int w = img.getWidth();
    byte[] data = new byte[h * w * 3];
    boolean grey = img.getColorModel().getColorSpace().getNumComponents() == 1
        && !(img.getColorModel() instanceof java.awt.image.IndexColorModel);
    Raster raster = img.getRaster();
    int bits = img.getColorModel().getComponentSize(0);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int i = (y * w + x) * 3;
        if (grey) {
          // Raw samples: getRGB would push linear grey through a gamma curve.
          int v = raster.getSample(x, y, 0) >> Math.max(0, bits - 8);
          data[i] = data[i + 1] = data[i + 2] = (byte) v;
        } else {
          int rgb = img.getRGB(x, y);
          data[i] = (byte) (rgb >> 16);
          data[i + 1] = (byte) (rgb >> 8);
          data[i + 2] = (byte) rgb;
        }
      }
    }
    return new RgbImage(h, w, data);
  }

  /** Emu3's rescale (1/255) and normalise (mean 0.5, std 0.5): float32 [3, H, W] in [-1, 1]. */
  public static INDArray toPixels(RgbImage img) {
    int h = img.height();
    int w = img.width();
    float[] out = new float[3 * h * w];
    for (int c = 0; c < 3; c++) {
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          float scaled = (float) (img.at(y, x, c) * (1 / 255.0));
          out[(c * h + y) * w + x] = (scaled - 0.5f) / 0.5f;
        }
      }
    }
    return Nd4j.create(out, new long[] {3, h, w}, 'c');
  }

  /** Emu3's postprocess: [3, H, W] around [-1, 1] -> (x + 1) / 2 * 255, clipped, truncated to 8 bits. */
  public static RgbImage fromPixels(INDArray pixels) {
    if (pixels.rank() != 3 || pixels.size(0) != 3) {
      throw new IllegalArgumentException("pixels must be [3, H, W], got " + java.util.Arrays.toString(pixels.shape()));
    }
    int h = (int) pixels.size(1);
    int w = (int) pixels.size(2);
    float[] v = pixels.castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).dup('c').data().asFloat();
    byte[] data = new byte[h * w * 3];
    for (int c = 0; c < 3; c++) {
      for (int i = 0; i < h * w; i++) {
        float unit = (v[c * h * w + i] + 1f) / 2f;
        data[i * 3 + c] = (byte) (int) Math.max(0f, Math.min(255f, unit * 255f));
      }
    }
    return new RgbImage(h, w, data);
  }

  public static byte[] encodePng(RgbImage img) throws IOException {
    BufferedImage out = new BufferedImage(img.width(), img.height(), BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < img.height(); y++) {
      for (int x = 0; x < img.width(); x++) {
        out.setRGB(x, y, img.at(y, x, 0) << 16 | img.at(y, x, 1) << 8 | img.at(y, x, 2));
      }
    }
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    ImageIO.write(out, "png", bytes);
    return bytes.toByteArray();
  }
}
