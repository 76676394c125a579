package org.synergen.ingest.image;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_IGNORE_ORIENTATION;
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
 * Decode and area resize of well-formed JPEGs in OpenCV, through JavaCPP (img2dataset's own
 * calls: cv::imdecode, cv::resize with INTER_AREA). Native code needs no JIT warm-up and its
 * resize is about 3x our Java one; the decoded pixels are the same as the JDK's (both run libjpeg's
 * default slow-integer IDCT and fancy upsampling). Everything else stays on the ImageIO path.
 */
final class OpenCvJpeg {
  static {
    // ImageWorkers already runs one image per core; OpenCV's own worker threads would only
    // compete with them
    opencv_core.setNumThreads(1);
  }

  private OpenCvJpeg() {}

  /**
   * Whether {@code reader}, positioned on {@code bytes}, holds a JPEG this class decodes exactly as
   * the ImageIO path would: grey or sRGB (CMYK, YCCK and embedded colour profiles are converted by
   * TwelveMonkeys, which OpenCV would not do) and ending in the EOI marker (libjpeg only warns on
   * a truncated file, and the ImageIO path reads that warning to refuse it).
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
    try (BytePointer data = new BytePointer(bytes);
        Mat encoded = new Mat(1, bytes.length, CV_8UC1, data);
        // img2dataset's decode keeps the stored orientation too (no EXIF rotation)
        Mat decoded = imdecode(encoded, IMREAD_COLOR | IMREAD_IGNORE_ORIENTATION)) {
      // a picture other than the header announced is left to the ImageIO path to judge
      if (decoded.empty() || decoded.cols() < g.cropX() + g.cropW()
          || decoded.rows() < g.cropY() + g.cropH()) {
        return null;
      }
      try (Rect r = new Rect(g.cropX(), g.cropY(), g.cropW(), g.cropH());
          Mat crop = new Mat(decoded, r);
          Size size = new Size(g.scaledW(), g.scaledH());
          Mat scaled = new Mat()) {
        resize(crop, scaled, size, 0, 0, INTER_AREA);
        byte[] bgr = new byte[g.scaledW() * g.scaledH() * 3];
        scaled.data().get(bgr);
        int[] rgb = new int[g.scaledW() * g.scaledH()];
        for (int i = 0, j = 0; i < rgb.length; i++, j += 3) {
          rgb[i] = (bgr[j + 2] & 0xff) << 16 | (bgr[j + 1] & 0xff) << 8 | (bgr[j] & 0xff);
        }
        return rgb;
      }
    }
  }
}
