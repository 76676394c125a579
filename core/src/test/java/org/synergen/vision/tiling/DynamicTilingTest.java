package org.synergen.vision.tiling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import java.awt.image.BufferedImage;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.synergen.vision.image.BicubicResampler;

class DynamicTilingTest {
  private static JsonNode table;

  @BeforeAll
  static void loadTable() throws Exception {
    // written by scripts/fixtures/make_tiling_fixtures.py (InternVL's logic + Pillow)
    table = new ObjectMapper().readTree(DynamicTilingTest.class.getResource("/tiling/internvl_tiling.json"));
  }

  private static TileGrid grid(int w, int h, int max) {
    return new DynamicTiling(new TilingConfig(448, 1, max, true)).chooseGrid(w, h);
  }

  /** Worked by hand from the rule: closest cols/rows to width/height, ties by area. */
  @Test
  void handCheckedGrids() {
    assertEquals(new TileGrid(1, 1), grid(4000, 100, 1)); // stage 1: always one tile
    assertEquals(new TileGrid(1, 1), grid(448, 448, 6)); // 1.0: 1x1 first, 2x2 ties but 448^2 <= 0.5*448^2*4
    assertEquals(new TileGrid(2, 2), grid(1000, 1000, 6)); // tie 1x1/2x2, area 1e6 > 0.5*448^2*4 = 401408
    assertEquals(new TileGrid(3, 3), grid(1400, 1400, 12)); // 1.96e6 > 0.5*448^2*9 = 903168
    assertEquals(new TileGrid(2, 1), grid(896, 448, 6)); // 2.0 exactly; 4x2 is not allowed (8 > 6)
    assertEquals(new TileGrid(4, 2), grid(1792, 896, 12)); // 2.0; tie 2x1/4x2, 1.6e6 > 0.5*448^2*8
    assertEquals(new TileGrid(1, 3), grid(300, 1000, 6)); // 0.3: 1/3 is closest (0.033)
    assertEquals(new TileGrid(6, 1), grid(2000, 100, 6)); // 20.0: widest allowed is 6x1
    assertEquals(new TileGrid(12, 1), grid(2000, 100, 12));
    assertEquals(new TileGrid(3, 2), grid(640, 480, 6)); // 1.333: 3/2 (0.167) beats 1/1 (0.333) and 2/1
    assertEquals(new TileGrid(4, 3), grid(640, 480, 12)); // 4/3 exactly
    assertEquals(new TileGrid(2, 1), grid(1920, 1080, 6)); // 1.778: 2/1 (0.222) beats 3/2 (0.278)
    assertEquals(new TileGrid(5, 3), new DynamicTiling(new TilingConfig(448, 1, 15, false)).chooseGrid(1920, 1080));
  }

  @Test
  void candidateOrderIsInternVlsPythonSetOrder() {
    for (JsonNode c : table.get("candidate_orders")) {
      List<TileGrid> expected = new ArrayList<>();
      c.get("grids").forEach(g -> expected.add(new TileGrid(g.get(0).asInt(), g.get(1).asInt())));
      assertEquals(expected, CandidateGrids.of(c.get("min").asInt(), c.get("max").asInt()),
          "min " + c.get("min") + " max " + c.get("max"));
    }
  }

  @Test
  void gridsMatchInternVlOnTheCrossCheckTable() {
    int n = 0;
    for (JsonNode c : table.get("choices")) {
      TilingConfig cfg = new TilingConfig(c.get("tile").asInt(), c.get("min").asInt(), c.get("max").asInt(), true);
      TileGrid expected = new TileGrid(c.get("grid").get(0).asInt(), c.get("grid").get(1).asInt());
      assertEquals(expected, new DynamicTiling(cfg).chooseGrid(c.get("width").asInt(), c.get("height").asInt()),
          c.toString());
      n++;
    }
    assertTrue(n > 2000);
  }

  @Test
  void resizeMatchesPillowBicubicExactly() {
    BufferedImage src = image(table.get("source"));
    for (JsonNode r : table.get("resizes")) {
      BufferedImage out = BicubicResampler.resize(src, r.get("width").asInt(), r.get("height").asInt());
      assertPixels(r.get("pixels"), out, "resize to " + r.get("width") + "x" + r.get("height"));
    }
  }

  @Test
  void tilesAndThumbnailMatchInternVl() {
    JsonNode t = table.get("tiling");
    DynamicTiling tiling = new DynamicTiling(
        new TilingConfig(t.get("tile").asInt(), t.get("min").asInt(), t.get("max").asInt(), t.get("thumbnail").asBoolean()));
    List<BufferedImage> tiles = tiling.tile(image(table.get("source")));
    assertEquals(t.get("tiles").size(), tiles.size());
    for (int i = 0; i < tiles.size(); i++) {
      assertPixels(t.get("tiles").get(i), tiles.get(i), "tile " + i);
    }
  }

  @Test
  void stageConfigsCarryTheTable8Settings() {
    assertEquals(new TilingConfig(512, 1, 1, false), stage("stage1"));
    assertEquals(new TilingConfig(512, 1, 6, true), stage("stage2"));
    assertEquals(new TilingConfig(512, 1, 12, true), stage("sft"));
    // stage 1: a wide image still gives exactly one tile and no thumbnail
    assertEquals(1, new DynamicTiling(stage("stage1")).tile(new BufferedImage(900, 300, BufferedImage.TYPE_INT_RGB)).size());
    // stage 2: 900x300 -> 3x1 grid + thumbnail
    assertEquals(4, new DynamicTiling(stage("stage2")).tile(new BufferedImage(900, 300, BufferedImage.TYPE_INT_RGB)).size());
  }

  @Test
  void rejectsBadSettings() {
    assertThrows(IllegalArgumentException.class, () -> new TilingConfig(448, 3, 2, true));
    assertThrows(IllegalArgumentException.class, () -> new TilingConfig(0, 1, 2, true));
    assertThrows(IllegalArgumentException.class, () -> grid(0, 10, 6));
  }

  private static TilingConfig stage(String name) {
    return TilingConfig.fromConfig(
        ConfigFactory.parseFile(new File("../conf/stages/" + name + ".conf")).resolve().getConfig("tiling"));
  }

  private static BufferedImage image(JsonNode spec) {
    int w = spec.get("width").asInt();
    int h = spec.get("height").asInt();
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    JsonNode px = spec.get("pixels");
    for (int i = 0; i < w * h; i++) {
      JsonNode p = px.get(i);
      img.setRGB(i % w, i / w, (p.get(0).asInt() << 16) | (p.get(1).asInt() << 8) | p.get(2).asInt());
    }
    return img;
  }

  private static void assertPixels(JsonNode expected, BufferedImage actual, String what) {
    assertEquals(expected.size(), actual.getWidth() * actual.getHeight(), what + ": pixel count");
    for (int i = 0; i < expected.size(); i++) {
      int rgb = actual.getRGB(i % actual.getWidth(), i / actual.getWidth());
      JsonNode p = expected.get(i);
      int[] got = {(rgb >> 16) & 0xFF, (rgb >> 8) & 0xFF, rgb & 0xFF};
      for (int ch = 0; ch < 3; ch++) {
        assertEquals(p.get(ch).asInt(), got[ch], what + ": pixel " + i + " channel " + ch);
      }
    }
  }
}
