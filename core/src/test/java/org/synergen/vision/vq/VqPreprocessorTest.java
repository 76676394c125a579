package org.synergen.vision.vq;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.synergen.io.Npy;

/** Emu3's image processor (PIL bicubic underneath), reproduced byte for byte. */
class VqPreprocessorTest {
  private static final Path DIR = Path.of("src/test/resources/vq/preprocess");

  @Test
  void matchesEmu3ImageProcessorOutput() throws Exception {
    JsonNode cases = new ObjectMapper().readTree(DIR.resolve("cases.json").toFile());
    assertEquals(2, cases.size());
    for (JsonNode c : cases) {
      String name = c.get("name").asText();
      VqPreprocessor p = new VqPreprocessor(c.get("spatial_factor").asInt(),
          c.get("min_pixels").asLong(), c.get("max_pixels").asLong());
      INDArray got = p.pixels(VqImages.read(DIR.resolve(name + ".png")));
      INDArray expected = Npy.read(DIR.resolve(name + ".npy"));
      assertArrayEquals(expected.shape(), got.shape(), name);
      // Same 8-bit values after resizing, so the float pixels agree to rounding.
      assertEquals(0.0, Emu3ParityTest.maxAbsDiff(expected, got), 1e-6, name);
    }
  }

  @Test
  void smartResizeFollowsEmu3Rules() {
    VqPreprocessor emu3 = VqPreprocessor.emu3();
    // Hand-checked against Emu3's smart_resize: in range -> nearest multiples of 8.
    assertArrayEquals(new int[] {512, 512}, emu3.targetSize(512, 512));
    assertArrayEquals(new int[] {600, 800}, emu3.targetSize(601, 799));
    // 4 * 8 = 32 vs 5 * 8: 612 / 8 = 76.5 rounds half to even -> 76 * 8 = 608.
    assertArrayEquals(new int[] {608, 800}, emu3.targetSize(612, 800));
    // Too small: scaled up by sqrt(512^2 / (100*200)) = 3.62 -> ceil to multiples of 8.
    assertArrayEquals(new int[] {368, 728}, emu3.targetSize(100, 200));
    assertThrows(IllegalArgumentException.class, () -> emu3.targetSize(100, 600));
    assertThrows(IllegalArgumentException.class, () -> emu3.targetSize(4, 40));
  }
}
