package org.synergen.ingest.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.synergen.ingest.TestImages;

class ImageProcessorTest {
  private static ImageSettings settings(ResizeMode mode, int size) {
    return new ImageSettings(size, mode, false, 89_478_485, 0, 1e6, 95);
  }

  private static BufferedImage decode(byte[] jpeg) throws Exception {
    return ImageIO.read(new ByteArrayInputStream(jpeg));
  }

  @Test
  void resizeModesGiveImg2datasetSizes() throws Exception {
    byte[] src = TestImages.png(TestImages.picture(400, 200, 1));
    // keep_ratio: shorter side -> 100; keep_ratio_largest: longer side -> 100
    ProcessedImage keep = new ImageProcessor(settings(ResizeMode.KEEP_RATIO, 100)).process(src);
    assertEquals(200, keep.width());
    assertEquals(100, keep.height());
    ProcessedImage largest = new ImageProcessor(settings(ResizeMode.KEEP_RATIO_LARGEST, 100)).process(src);
    assertEquals(100, largest.width());
    assertEquals(50, largest.height());
    ProcessedImage crop = new ImageProcessor(settings(ResizeMode.CENTER_CROP, 100)).process(src);
    assertEquals(100, crop.width());
    assertEquals(100, crop.height());
    ProcessedImage border = new ImageProcessor(settings(ResizeMode.BORDER, 100)).process(src);
    assertEquals(100, border.width());
    assertEquals(100, border.height());
    assertEquals(400, border.originalWidth());
    assertEquals(200, border.originalHeight());
    // border: the 100 x 50 picture sits in rows 25..74; rows 0..24 are white padding
    BufferedImage b = decode(border.jpeg());
    int top = b.getRGB(50, 5);
    assertTrue(((top >> 16) & 0xff) > 245 && ((top >> 8) & 0xff) > 245 && (top & 0xff) > 245,
        "padding should be white, got " + Integer.toHexString(top));
  }

  @Test
  void aPaddedPictureAfterAFullOneOnTheSameThreadHasWhitePadding() throws Exception {
    // each thread reuses one canvas: a black picture that covered all of it must not show through
    // the padding of the next, bordered one
    BufferedImage black = new BufferedImage(400, 200, BufferedImage.TYPE_INT_RGB);
    byte[] png = TestImages.png(black);
    new ImageProcessor(settings(ResizeMode.CENTER_CROP, 100)).process(png);
    BufferedImage bordered = decode(new ImageProcessor(settings(ResizeMode.BORDER, 100)).process(png).jpeg());
    for (int y : new int[] {0, 10, 20, 80, 90, 99}) {
      assertTrue((bordered.getRGB(50, y) & 0xff) > 245, "row " + y + " is padding, so white");
    }
    assertTrue((bordered.getRGB(50, 50) & 0xff) < 10, "row 50 is the picture, so black");
  }

  @Test
  void areaDownscaleAveragesBlocks() throws Exception {
    // 4 x 2 image with 2 x 2 blocks of known colours -> 2 x 1: each output pixel is the block mean
    BufferedImage img = new BufferedImage(4, 2, BufferedImage.TYPE_INT_RGB);
    int[] px = {0x000000, 0x646464, 0xc8c8c8, 0xffffff, 0x646464, 0x000000, 0xffffff, 0xc8c8c8};
    img.setRGB(0, 0, 4, 2, px, 0, 4);
    // written at byte 2 of a buffer with two bytes either side, which stay as they were
    byte[] out = new byte[10];
    AreaResampler.resample(new RgbRows(img), 0, 0, 4, 2, 2, 1, out, 2, 6);
    // (0+100+100+0)/4=50, (200+255)/2=227.5->228, as R, G, B bytes
    assertArrayEquals(new byte[] {0, 0, 0x32, 0x32, 0x32, (byte) 0xe4, (byte) 0xe4, (byte) 0xe4, 0, 0}, out);
  }

  @Test
  void alphaIsMattedOntoWhite() {
    BufferedImage img = new BufferedImage(1, 1, BufferedImage.TYPE_INT_ARGB);
    img.setRGB(0, 0, 0x80000000); // black at alpha 128/255
    int[] row = new int[1];
    new RgbRows(img).row(0, 0, 1, row);
    int v = 255 * (255 - 128) / 255; // 127: half-way to white
    assertEquals(v, row[0] & 0xff, 1);
  }

  @Test
  void outputIsJpegAtConfiguredQualityWithItsSha256() throws Exception {
    byte[] src = TestImages.png(TestImages.picture(300, 300, 2));
    ProcessedImage hi = new ImageProcessor(new ImageSettings(256, ResizeMode.BORDER, false, 1 << 30, 0, 1e6, 95)).process(src);
    ProcessedImage lo = new ImageProcessor(new ImageSettings(256, ResizeMode.BORDER, false, 1 << 30, 0, 1e6, 30)).process(src);
    assertEquals((byte) 0xff, hi.jpeg()[0]);
    assertEquals((byte) 0xd8, hi.jpeg()[1]);
    assertTrue(lo.jpeg().length < hi.jpeg().length, "quality 30 must be smaller than 95");
    java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
    assertEquals(java.util.HexFormat.of().formatHex(md.digest(hi.jpeg())), hi.jpgSha256());
    assertEquals(java.util.HexFormat.of().formatHex(md.digest(src)), hi.sha256(), "of the input bytes");
  }

  @Test
  void hugeImageIsRefusedFromItsHeader() throws Exception {
    byte[] bomb = TestImages.hugePng(20000, 20000);
    assertTrue(bomb.length < 200_000);
    ImageRejected e = assertThrows(ImageRejected.class,
        () -> new ImageProcessor(settings(ResizeMode.BORDER, 256)).process(bomb));
    assertEquals("image area too large", e.reason());
    assertEquals(20000, e.originalWidth());
  }

  @Test
  void truncatedJpegIsRefused() throws Exception {
    byte[] full = TestImages.jpeg(TestImages.picture(320, 240, 3), 90);
    byte[] cut = Arrays.copyOf(full, full.length / 2);
    ImageRejected e = assertThrows(ImageRejected.class,
        () -> new ImageProcessor(settings(ResizeMode.BORDER, 256)).process(cut));
    assertEquals("truncated image", e.reason(), e.getMessage());
  }

  /** libjpeg fills the missing piece with grey and only warns; the warning refuses the picture. */
  @Test
  void jpegDamagedInsideWithItsEoiIntactIsRefused() throws Exception {
    byte[] full = TestImages.jpeg(TestImages.picture(320, 240, 3), 90);
    int from = full.length / 2;
    int gap = 200;
    byte[] damaged = new byte[full.length - gap];
    System.arraycopy(full, 0, damaged, 0, from);
    System.arraycopy(full, from + gap, damaged, from, full.length - from - gap);
    ImageRejected e = assertThrows(ImageRejected.class,
        () -> new ImageProcessor(settings(ResizeMode.BORDER, 256)).process(damaged));
    assertEquals("truncated image", e.reason(), e.getMessage());
  }

  /** img2dataset keeps the stored pixel order too: an EXIF orientation tag does not rotate. */
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
    java.io.ByteArrayOutputStream tagged = new java.io.ByteArrayOutputStream();
    tagged.write(plain, 0, 2); // SOI
    tagged.write(exif);
    tagged.write(plain, 2, plain.length - 2);
    ProcessedImage p = new ImageProcessor(settings(ResizeMode.NO, 40)).process(tagged.toByteArray());
    assertEquals(40, p.width());
    BufferedImage out = ImageIO.read(new ByteArrayInputStream(p.jpeg()));
    assertTrue((out.getRGB(5, 10) & 0xff) < 30, "left stays black");
    assertTrue((out.getRGB(35, 10) & 0xff) > 225, "right stays white");
  }

  @Test
  void htmlIsNotAnImage() {
    byte[] html = "<!DOCTYPE html><html><body>Not found</body></html>".getBytes(StandardCharsets.UTF_8);
    ImageRejected e = assertThrows(ImageRejected.class,
        () -> new ImageProcessor(settings(ResizeMode.BORDER, 256)).process(html));
    assertEquals("not an image", e.reason());
    assertTrue(e.getMessage().contains("<!DOCTYPE html"), e.getMessage());
  }

  @Test
  void minSizeAndAspectRatioAreChecked() throws Exception {
    byte[] thin = TestImages.png(TestImages.picture(300, 20, 4));
    ImageRejected small = assertThrows(ImageRejected.class, () -> new ImageProcessor(
        new ImageSettings(256, ResizeMode.BORDER, false, 1 << 30, 32, 1e6, 95)).process(thin));
    assertEquals("image too small", small.reason());
    ImageRejected ratio = assertThrows(ImageRejected.class, () -> new ImageProcessor(
        new ImageSettings(256, ResizeMode.BORDER, false, 1 << 30, 0, 10, 95)).process(thin));
    assertEquals("aspect ratio too large", ratio.reason());
  }
}
