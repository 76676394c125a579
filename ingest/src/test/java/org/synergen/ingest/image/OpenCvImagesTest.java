package org.synergen.ingest.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.synergen.ingest.TestImages;

class OpenCvImagesTest {
  /** A colour picture ImageIO decoded is resized by OpenCV too: our Java resize's result within one level. */
  @Test
  void decodedColourPicturesResizeAsTheJavaResize() throws Exception {
    BufferedImage img = ImageIO.read(new ByteArrayInputStream(TestImages.jpeg(TestImages.picture(320, 240, 7), 90)));
    RgbRows rows = new RgbRows(img);
    assertNotNull(rows.interleaved(), "the JPEG reader's usual layout");
    for (int size : new int[] {100, 170, 400}) {
      Geometry g = Geometry.of(320, 240, size, ResizeMode.CENTER_CROP, false);
      int row = 3 * g.scaledW();
      byte[] viaOpenCv = new byte[row * g.scaledH()];
      OpenCvImages.resizeInterleaved(rows.interleaved(), rows.redFirst(), 320, 240, g, viaOpenCv, 0, row);
      byte[] viaJava = new byte[row * g.scaledH()];
      AreaResampler.resample(rows, g.cropX(), g.cropY(), g.cropW(), g.cropH(), g.scaledW(), g.scaledH(),
          viaJava, 0, row);
      assertEquals(viaJava.length, viaOpenCv.length);
      for (int i = 0; i < viaJava.length; i++) {
        int d = Math.abs((viaJava[i] & 0xff) - (viaOpenCv[i] & 0xff));
        assertTrue(d <= 1, size + ": byte " + i + " is " + d + " levels apart");
      }
    }
  }

  /** The same bytes as R, G, B (our JPEG decode's order) give the same picture. */
  @Test
  void channelOrderIsRead() throws Exception {
    BufferedImage img = ImageIO.read(new ByteArrayInputStream(TestImages.jpeg(TestImages.picture(64, 48, 8), 90)));
    RgbRows bgr = new RgbRows(img);
    assertFalse(bgr.redFirst());
    byte[] b = bgr.interleaved();
    byte[] rgb = new byte[b.length];
    for (int i = 0; i < b.length; i += 3) {
      rgb[i] = b[i + 2];
      rgb[i + 1] = b[i + 1];
      rgb[i + 2] = b[i];
    }
    Geometry g = Geometry.of(64, 48, 20, ResizeMode.BORDER, false);
    byte[] fromBgr = new byte[3 * g.scaledW() * g.scaledH()];
    OpenCvImages.resizeInterleaved(b, false, 64, 48, g, fromBgr, 0, 3 * g.scaledW());
    byte[] fromRgb = new byte[fromBgr.length];
    OpenCvImages.resizeInterleaved(rgb, true, 64, 48, g, fromRgb, 0, 3 * g.scaledW());
    assertEquals(java.util.Arrays.toString(fromBgr), java.util.Arrays.toString(fromRgb));
  }
}
