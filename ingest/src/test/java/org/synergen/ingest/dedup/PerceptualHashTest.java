package org.synergen.ingest.dedup;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.synergen.ingest.TestImages;

class PerceptualHashTest {
  static long hash(BufferedImage img) {
    return PerceptualHash.of(TestImages.rgbBytes(img), img.getWidth(), img.getHeight());
  }

  @Test
  void reencodedAndResizedStayClose() throws Exception {
    BufferedImage a = TestImages.picture(320, 240, 1);
    BufferedImage lowQuality = ImageIO.read(new ByteArrayInputStream(TestImages.jpeg(a, 40)));
    assertTrue(PerceptualHash.distance(hash(a), hash(lowQuality)) <= 4);
  }

  @Test
  void differentPicturesAreFarApart() {
    long[] h = new long[8];
    for (int i = 0; i < h.length; i++) {
      h[i] = hash(TestImages.picture(160, 120, 10 + i));
    }
    for (int i = 0; i < h.length; i++) {
      for (int j = i + 1; j < h.length; j++) {
        assertTrue(PerceptualHash.distance(h[i], h[j]) > 8, i + " vs " + j);
      }
    }
  }

  @Test
  void halfTheBitsAreSetByTheMedianRule() {
    // the 64 coefficients are compared with their median: 32 above, 32 not (no ties here)
    assertEquals(32, Long.bitCount(hash(TestImages.picture(200, 200, 3))));
  }

  @Test
  void wholeBlockMeansAreTheAreaResamplersMeans() {
    // 256 x 256: 8 x 8 blocks, where the resampler's float sums are exact, so the two agree exactly
    byte[] rgb = TestImages.rgbBytes(TestImages.picture(256, 256, 5));
    assertArrayEquals(PerceptualHash.areaMeans(rgb, 256, 256), PerceptualHash.blockMeans(rgb, 256, 256));
    // 384 x 96: 12 x 3 blocks, equal to float rounding
    byte[] other = TestImages.rgbBytes(TestImages.picture(384, 96, 6));
    assertArrayEquals(PerceptualHash.areaMeans(other, 384, 96), PerceptualHash.blockMeans(other, 384, 96), 1e-3f);
  }

  @Test
  void verticalEdgeGivesTheKnownDctSignPattern() {
    // left half black, right half white: only horizontal frequencies v are non-zero, the DC term
    // is positive and v = 1 is strongly negative (cos is positive over the left, black half);
    // so bit (0,0) is set and bit (0,1) is clear.
    float[] g = new float[32 * 32];
    for (int y = 0; y < 32; y++) {
      for (int x = 16; x < 32; x++) {
        g[y * 32 + x] = 255;
      }
    }
    long bits = PerceptualHash.ofGrey(g);
    assertEquals(1, bits >>> 63 & 1);
    assertEquals(0, bits >>> 62 & 1);
  }
}
