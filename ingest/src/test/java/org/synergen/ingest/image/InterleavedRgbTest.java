package org.synergen.ingest.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import org.junit.jupiter.api.Test;
import org.synergen.ingest.TestImages;

/** The R, G, B layout changes how many copies the JDK makes, never a pixel or a byte. */
class InterleavedRgbTest {
  /** Baseline and progressive JPEGs made here, and the bundled photos (cameras, GIMP, scanners). */
  private static List<byte[]> jpegs() throws Exception {
    List<byte[]> all = new ArrayList<>();
    all.add(TestImages.jpeg(TestImages.picture(123, 77, 1), 90));
    all.add(TestImages.jpeg(TestImages.picture(200, 150, 2), 85, true));
    try (var files = Files.list(Path.of("../data/sample/images"))) {
      for (Path p : files.sorted().toList()) {
        all.add(Files.readAllBytes(p));
      }
    }
    return all;
  }

  private static int[] pixels(BufferedImage img) {
    return img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
  }

  @Test
  void decodingIntoItGivesImageIosOwnPixels() throws Exception {
    List<byte[]> jpegs = jpegs();
    assertEquals(30, jpegs.size(), "the 28 bundled photos are found");
    for (byte[] jpeg : jpegs) {
      int[] expected = pixels(ImageIO.read(new ByteArrayInputStream(jpeg)));
      try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(jpeg))) {
        ImageReader reader = ImageIO.getImageReaders(in).next();
        reader.setInput(in, true, true);
        ImageReadParam p = reader.getDefaultReadParam();
        p.setDestination(InterleavedRgb.decodeTarget(reader.getWidth(0), reader.getHeight(0)));
        BufferedImage img = reader.read(0, p);
        reader.dispose();
        assertNotNull(InterleavedRgb.bytesOf(img));
        assertArrayEquals(expected, pixels(img));
      }
    }
  }

  @Test
  void encodingFromItGivesTheSameBytesAsFromPackedInts() throws Exception {
    BufferedImage ints = TestImages.picture(256, 200, 3);
    BufferedImage rgb = InterleavedRgb.of(TestImages.rgbBytes(ints), 256, 200);
    assertArrayEquals(pixels(ints), pixels(rgb));
    assertArrayEquals(TestImages.jpeg(ints, 95), TestImages.jpeg(rgb, 95));
  }

  @Test
  void otherLayoutsAreNotTakenForIt() throws Exception {
    assertNull(InterleavedRgb.bytesOf(new BufferedImage(4, 4, BufferedImage.TYPE_3BYTE_BGR)));
    assertNull(InterleavedRgb.bytesOf(new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB)));
    BufferedImage rgb = InterleavedRgb.of(new byte[48], 4, 4);
    assertNotNull(InterleavedRgb.bytesOf(rgb));
    assertNull(InterleavedRgb.bytesOf(rgb.getSubimage(1, 1, 2, 2)), "a window into a larger picture");
  }

  @Test
  void rowsReadFromItAreRgb() {
    byte[] px = {0x10, 0x20, 0x30, 0x40, 0x50, 0x60, 0x70, (byte) 0x80, (byte) 0x90, (byte) 0xa0,
        (byte) 0xb0, (byte) 0xc0};
    RgbRows rows = new RgbRows(InterleavedRgb.of(px, 2, 2));
    int[] row = new int[2];
    rows.row(1, 0, 2, row);
    assertArrayEquals(new int[] {0x708090, 0xa0b0c0}, row);
    assertEquals(true, rows.redFirst());
    assertEquals(0x10, rows.interleaved()[0]);
  }
}
