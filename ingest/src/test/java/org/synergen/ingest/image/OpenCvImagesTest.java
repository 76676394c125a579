package org.synergen.ingest.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import org.junit.jupiter.api.Test;
import org.synergen.ingest.TestImages;

class OpenCvImagesTest {
  private static boolean suits(byte[] bytes) throws Exception {
    try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
      ImageReader reader = ImageIO.getImageReaders(in).next();
      try {
        reader.setInput(in, true, true);
        return OpenCvImages.suits(bytes, reader);
      } finally {
        reader.dispose();
      }
    }
  }

  private static ImageProcessor processor(Decoder decoder) {
    return new ImageProcessor(new ImageSettings(256, ResizeMode.BORDER, false, 89_478_485, 0, 1e6, 95, decoder));
  }

  /**
   * The one difference between the decoders: a JPEG with a piece cut out of its middle, EOI intact.
   * ImageIO reads libjpeg's "corrupt data" warning and refuses it; OpenCV stores the grey-filled
   * picture, as img2dataset does.
   */
  @Test
  void aJpegDamagedInsideIsRefusedByTheDefaultDecoderAndStoredByOpenCv() throws Exception {
    byte[] full = TestImages.jpeg(TestImages.picture(320, 240, 3), 90);
    int from = full.length / 2;
    int gap = 200;
    byte[] damaged = new byte[full.length - gap];
    System.arraycopy(full, 0, damaged, 0, from);
    System.arraycopy(full, from + gap, damaged, from, full.length - from - gap);
    assertTrue(suits(damaged), "it still ends in EOI");
    ImageRejected e = assertThrows(ImageRejected.class, () -> processor(Decoder.IMAGEIO).process(damaged));
    assertEquals("truncated image", e.reason(), e.getMessage());
    assertEquals(256, processor(Decoder.OPENCV).process(damaged).width());
  }

  @Test
  void onlyCompleteGreyOrColourJpegsTakeTheOpenCvPath() throws Exception {
    BufferedImage picture = TestImages.picture(320, 240, 5);
    byte[] jpeg = TestImages.jpeg(picture, 90);
    assertTrue(suits(jpeg));
    BufferedImage grey = new BufferedImage(64, 48, BufferedImage.TYPE_BYTE_GRAY);
    grey.getGraphics().drawImage(picture, 0, 0, null);
    assertTrue(suits(TestImages.jpeg(grey, 90)));
    assertFalse(suits(Arrays.copyOf(jpeg, jpeg.length / 2)), "no EOI: the ImageIO path refuses it");
    assertFalse(suits(TestImages.png(picture)));
  }

  /** Both paths scaled, channel by channel: {mean, max} of the absolute differences. */
  private static double[] difference(byte[] jpeg, int w, int h, ResizeMode mode, int size)
      throws Exception {
    Geometry g = Geometry.of(w, h, size, mode, false);
    int[] viaOpenCv = OpenCvImages.decodeScaled(jpeg, g);
    int[] viaJava = AreaResampler.resample(new RgbRows(ImageIO.read(new ByteArrayInputStream(jpeg))),
        g.cropX(), g.cropY(), g.cropW(), g.cropH(), g.scaledW(), g.scaledH());
    assertNotNull(viaOpenCv);
    assertEquals(viaJava.length, viaOpenCv.length);
    double sum = 0;
    int max = 0;
    for (int i = 0; i < viaJava.length; i++) {
      for (int shift = 0; shift < 24; shift += 8) {
        int d = Math.abs((viaJava[i] >> shift & 0xff) - (viaOpenCv[i] >> shift & 0xff));
        sum += d;
        max = Math.max(max, d);
      }
    }
    return new double[] {sum / (3.0 * viaJava.length), max};
  }

  /** A colour picture ImageIO decoded is resized by OpenCV too: our Java resize's result within one level. */
  @Test
  void decodedColourPicturesResizeAsTheJavaResize() throws Exception {
    BufferedImage img = ImageIO.read(new ByteArrayInputStream(TestImages.jpeg(TestImages.picture(320, 240, 7), 90)));
    RgbRows rows = new RgbRows(img);
    assertNotNull(rows.interleaved(), "the JPEG reader's usual layout");
    for (int size : new int[] {100, 170, 400}) {
      Geometry g = Geometry.of(320, 240, size, ResizeMode.CENTER_CROP, false);
      int[] viaOpenCv = OpenCvImages.resizeInterleaved(rows.interleaved(), rows.redFirst(), 320, 240, g);
      int[] viaJava = AreaResampler.resample(rows, g.cropX(), g.cropY(), g.cropW(), g.cropH(), g.scaledW(), g.scaledH());
      assertEquals(viaJava.length, viaOpenCv.length);
      for (int i = 0; i < viaJava.length; i++) {
        for (int shift = 0; shift < 24; shift += 8) {
          int d = Math.abs((viaJava[i] >> shift & 0xff) - (viaOpenCv[i] >> shift & 0xff));
          assertTrue(d <= 1, size + ": pixel " + i + " is " + d + " levels apart");
        }
      }
    }
  }

  /** Decoded in full, the pixels are libjpeg's either way, so the two resizes agree to rounding. */
  @Test
  void matchesTheImageIoPathWithinOneLevel() throws Exception {
    byte[] jpeg = TestImages.jpeg(TestImages.picture(320, 240, 6), 90);
    for (ResizeMode mode : new ResizeMode[] {ResizeMode.BORDER, ResizeMode.CENTER_CROP}) {
      for (int size : new int[] {200, 170, 400}) { // less than halving, and enlarging
        assertEquals(1, OpenCvImages.shrink(Geometry.of(320, 240, size, mode, false)));
        double[] d = difference(jpeg, 320, 240, mode, size);
        assertTrue(d[1] <= 1, mode + " " + size + ": " + d[1] + " levels apart");
      }
    }
  }

  /** Shrunk while decoded (scaled IDCT), then area-resized: close to the full decode's result. */
  @Test
  void shrinkOnLoadStaysCloseToTheFullDecode() throws Exception {
    byte[] jpeg = TestImages.jpeg(TestImages.picture(640, 480, 7), 90);
    int[][] sizeAndShrink = {{320, 2}, {160, 4}, {80, 8}, {60, 8}, {300, 2}};
    for (int[] c : sizeAndShrink) {
      int size = c[0];
      assertEquals(c[1], OpenCvImages.shrink(Geometry.of(640, 480, size, ResizeMode.BORDER, false)));
      double[] d = difference(jpeg, 640, 480, ResizeMode.BORDER, size);
      // measured: means 0.10-0.27 and at most 3 levels on this smooth picture
      assertTrue(d[0] < 0.5 && d[1] <= 4, size + ": mean " + d[0] + ", max " + d[1]);
    }
  }

  /** img2dataset and the ImageIO path keep the stored pixel order; OpenCV would rotate. */
  @Test
  void exifOrientationIsIgnored() throws Exception {
    BufferedImage img = new BufferedImage(40, 20, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 20; y++) {
      for (int x = 20; x < 40; x++) {
        img.setRGB(x, y, 0xffffff); // left half black, right half white
      }
    }
    byte[] plain = TestImages.jpeg(img, 95);
    // APP1 Exif with one tag: Orientation (0x0112) = 6, "rotate 90 degrees clockwise to view"
    byte[] exif = {(byte) 0xff, (byte) 0xe1, 0, 34, 'E', 'x', 'i', 'f', 0, 0,
        'M', 'M', 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0, 0, 0, 0, 0};
    ByteArrayOutputStream tagged = new ByteArrayOutputStream();
    tagged.write(plain, 0, 2); // SOI
    tagged.write(exif);
    tagged.write(plain, 2, plain.length - 2);
    byte[] jpeg = tagged.toByteArray();
    assertTrue(suits(jpeg));
    int[] px = OpenCvImages.decodeScaled(jpeg, Geometry.of(40, 20, 40, ResizeMode.NO, false));
    assertNotNull(px);
    assertTrue((px[10 * 40 + 5] & 0xff) < 30, "left stays black");
    assertTrue((px[10 * 40 + 35] & 0xff) > 225, "right stays white");
  }
}
