package org.synergen.ingest.image;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_IGNORE_ORIENTATION;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_REDUCED_COLOR_2;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_REDUCED_COLOR_4;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_REDUCED_COLOR_8;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import java.awt.color.ColorSpace;
import java.io.IOException;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * img2dataset's own OpenCV calls through JavaCPP: the area resize (cv::resize with INTER_AREA) of
 * every colour picture, and, with {@link Decoder#OPENCV}, the decode of well-formed JPEGs
 * (cv::imdecode). Native code needs no JIT warm-up and its resize is about 3x our Java one. Decoded
 * in full, the pixels are the JDK's (both run libjpeg's default slow-integer IDCT and fancy
 * upsampling); a picture at least twice the output size is shrunk while decoding (a quarter to a
 * sixty-fourth of the IDCT work): the stored picture then differs from the full decode's by about
 * 1.5 levels on average on the bundled photos, less on smooth ones.
 */
final class OpenCvImages {
  /** Pictures up to this many bytes (about 5 megapixels) are copied into the thread's buffer. */
  private static final int REUSED_BYTES = 16 << 20;
  private static final ThreadLocal<BytePointer> BUFFER = new ThreadLocal<>();

  static {
    // ImageWorkers already runs one image per core; OpenCV's own worker threads would only
    // compete with them
    opencv_core.setNumThreads(1);
  }

  private OpenCvImages() {}

  /**
   * Whether {@code reader}, positioned on {@code bytes}, holds a JPEG that this class may decode
   * instead of the ImageIO path: grey or sRGB (CMYK, YCCK and embedded colour profiles are
   * converted by TwelveMonkeys, which OpenCV would not do) and ending in the EOI marker (libjpeg
   * only warns on a truncated file, and the ImageIO path reads that warning to refuse it). A file
   * damaged inside but still ending in EOI is decoded here, with libjpeg's grey fill, where the
   * ImageIO path refuses it: OpenCV does not pass libjpeg's warnings on.
   */
  static boolean suits(byte[] bytes, ImageReader reader) throws IOException {
    int n = bytes.length;
    if (!"jpeg".equalsIgnoreCase(reader.getFormatName()) || n < 4
        || bytes[n - 2] != (byte) 0xff || bytes[n - 1] != (byte) 0xd9) {
      return false;
    }
    ImageTypeSpecifier raw = reader.getRawImageType(0);
    if (raw == null) {
      return false;
    }
    ColorSpace cs = raw.getColorModel().getColorSpace();
    return cs.isCS_sRGB() || cs == ColorSpace.getInstance(ColorSpace.CS_GRAY);
  }

  /**
   * The region (cropX, cropY, cropW, cropH) of the decoded image scaled to scaledW x scaledH, as
   * packed 0xRRGGBB; null when OpenCV cannot decode the bytes (the ImageIO path then says why).
   */
  static int[] decodeScaled(byte[] bytes, Geometry g) {
    int k = shrink(g);
    int flags = switch (k) {
      case 1 -> IMREAD_COLOR;
      case 2 -> IMREAD_REDUCED_COLOR_2;
      case 4 -> IMREAD_REDUCED_COLOR_4;
      default -> IMREAD_REDUCED_COLOR_8;
    };
    int x = g.cropX() / k;
    int y = g.cropY() / k;
    int w = g.cropW() / k;
    int h = g.cropH() / k;
    try (BytePointer data = new BytePointer(bytes);
        Mat encoded = new Mat(1, bytes.length, CV_8UC1, data);
        // img2dataset's decode keeps the stored orientation too (no EXIF rotation)
        Mat decoded = imdecode(encoded, flags | IMREAD_IGNORE_ORIENTATION)) {
      // a picture other than the header announced is left to the ImageIO path to judge
      if (decoded.empty() || decoded.cols() < x + w || decoded.rows() < y + h) {
        return null;
      }
      return areaResize(decoded, false, x, y, w, h, g);
    }
  }

  /**
   * The region (cropX, cropY, cropW, cropH) of a decoded picture, given as interleaved 3-byte
   * pixels of {@code width} x {@code height} (R, G, B if {@code redFirst}, else B, G, R), scaled to
   * scaledW x scaledH as packed 0xRRGGBB. The pixels are copied into this thread's native buffer.
   */
  static int[] resizeInterleaved(byte[] pixels, boolean redFirst, int width, int height, Geometry g) {
    int n = 3 * width * height;
    BytePointer buffer = n <= REUSED_BYTES ? threadBuffer(n) : new BytePointer(n);
    try (Mat picture = new Mat(height, width, CV_8UC3, buffer.put(pixels, 0, n))) {
      return areaResize(picture, redFirst, g.cropX(), g.cropY(), g.cropW(), g.cropH(), g);
    } finally {
      if (buffer != BUFFER.get()) {
        buffer.close();
      }
    }
  }

  /**
   * This thread's native buffer, grown to at least n bytes: allocating and freeing native memory
   * for every picture cost more than the copy into it.
   */
  private static BytePointer threadBuffer(int n) {
    BytePointer b = BUFFER.get();
    if (b == null || b.capacity() < n) {
      if (b != null) {
        b.close();
      }
      b = new BytePointer(n);
      BUFFER.set(b);
    }
    return b;
  }

  private static int[] areaResize(Mat picture, boolean redFirst, int x, int y, int w, int h, Geometry g) {
    try (Rect r = new Rect(x, y, w, h);
        Mat crop = new Mat(picture, r);
        Size size = new Size(g.scaledW(), g.scaledH());
        Mat scaled = new Mat()) {
      resize(crop, scaled, size, 0, 0, INTER_AREA);
      byte[] px = new byte[g.scaledW() * g.scaledH() * 3];
      scaled.data().get(px);
      int red = redFirst ? 0 : 2;
      int blue = 2 - red;
      int[] rgb = new int[g.scaledW() * g.scaledH()];
      for (int i = 0, j = 0; i < rgb.length; i++, j += 3) {
        rgb[i] = (px[j + red] & 0xff) << 16 | (px[j + 1] & 0xff) << 8 | (px[j + blue] & 0xff);
      }
      return rgb;
    }
  }

  /**
   * The largest of 1, 2, 4 and 8 by which libjpeg may shrink the picture while decoding it (its
   * scaled IDCT skips most of the work, as libvips' and Pillow's shrink-on-load do) so that the
   * area resize still has at least as many pixels to average as it outputs.
   */
  static int shrink(Geometry g) {
    int k = 1;
    while (k < 8 && g.cropW() / (2 * k) >= g.scaledW() && g.cropH() / (2 * k) >= g.scaledH()) {
      k *= 2;
    }
    return k;
  }
}
