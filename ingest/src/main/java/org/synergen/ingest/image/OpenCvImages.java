package org.synergen.ingest.image;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2RGB;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * img2dataset's own area resize (cv::resize with INTER_AREA) through JavaCPP, for every decoded
 * colour picture: native code needs no JIT warm-up, and it is about 3x our Java resize and equal to
 * it within one level.
 */
final class OpenCvImages {
  private static final ThreadLocal<BytePointer> BUFFER = new ThreadLocal<>();

  static {
    // ImageWorkers already runs one image per core; OpenCV's own worker threads would only
    // compete with them
    opencv_core.setNumThreads(1);
  }

  private OpenCvImages() {}

  /** Loads OpenCV now (the static initialiser above) rather than on the first picture. */
  static void load() {
    Loader.load(opencv_imgproc.class); // the resize's bindings too
  }

  /**
   * The region (cropX, cropY, cropW, cropH) of a decoded picture, given as interleaved 3-byte
   * pixels of {@code width} x {@code height} (R, G, B if {@code redFirst}, else B, G, R), scaled to
   * scaledW x scaledH, written as interleaved R, G, B bytes into {@code out}: row y from byte
   * {@code at + y * stride}. The pixels are copied into this thread's native buffer.
   */
  static void resizeInterleaved(byte[] pixels, boolean redFirst, int width, int height, Geometry g,
      byte[] out, int at, int stride) {
    int n = 3 * width * height;
    BytePointer buffer = n <= ReusedBytes.LIMIT ? threadBuffer(n) : new BytePointer(n);
    try (Mat picture = new Mat(height, width, CV_8UC3, buffer.put(pixels, 0, n))) {
      areaResize(picture, redFirst, g, out, at, stride);
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

  private static void areaResize(Mat picture, boolean redFirst, Geometry g, byte[] out, int at,
      int stride) {
    try (Rect r = new Rect(g.cropX(), g.cropY(), g.cropW(), g.cropH());
        Mat crop = new Mat(picture, r);
        Size size = new Size(g.scaledW(), g.scaledH());
        Mat scaled = new Mat()) {
      resize(crop, scaled, size, 0, 0, INTER_AREA);
      if (!redFirst) {
        cvtColor(scaled, scaled, COLOR_BGR2RGB);
      }
      BytePointer rows = scaled.data();
      int row = 3 * g.scaledW();
      for (int y = 0; y < g.scaledH(); y++) {
        rows.position(y * scaled.step()).get(out, at + y * stride, row);
      }
    }
  }
}
