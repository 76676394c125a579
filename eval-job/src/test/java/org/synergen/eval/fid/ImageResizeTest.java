package org.synergen.eval.fid;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.synergen.eval.ReferenceFixtures;

/** Both resizes against the libraries that define them (torch interpolate, clean-fid's PIL resize). */
class ImageResizeTest {
  @Test
  void matchesPytorchFidAndCleanFid() {
    for (JsonNode c : ReferenceFixtures.load("fid_reference.json").get("resize")) {
      float[][][] image = tensor(c.get("image"), 1f);
      int h = c.get("height").asInt();
      int w = c.get("width").asInt();
      // pytorch-fid resizes [0, 1] images; bilinear commutes with the scale
      assertClose(c.get("pytorch_fid_bilinear"), ImageResize.BILINEAR.resize(tensor(c.get("image"), 1 / 255f), h, w), 1e-6);
      assertClose(c.get("clean_fid_bicubic"), ImageResize.BICUBIC.resize(image, h, w), 2e-4);
    }
  }

  private static void assertClose(JsonNode expected, float[][][] actual, double tolerance) {
    assertEquals(expected.size(), actual.length);
    for (int y = 0; y < actual.length; y++) {
      assertEquals(expected.get(y).size(), actual[y].length);
      for (int x = 0; x < actual[y].length; x++) {
        for (int ch = 0; ch < 3; ch++) {
          assertEquals(expected.get(y).get(x).get(ch).asDouble(), actual[y][x][ch], tolerance,
              "pixel " + y + "," + x + "," + ch);
        }
      }
    }
  }

  private static float[][][] tensor(JsonNode rows, float scale) {
    float[][][] out = new float[rows.size()][][];
    for (int y = 0; y < out.length; y++) {
      JsonNode row = rows.get(y);
      out[y] = new float[row.size()][3];
      for (int x = 0; x < row.size(); x++) {
        for (int ch = 0; ch < 3; ch++) {
          out[y][x][ch] = (float) row.get(x).get(ch).asDouble() * scale;
        }
      }
    }
    return out;
  }
}
