package org.synergen.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayeredConfigTest {
  private static final Config DEFAULTS = ConfigFactory.parseString("""
      train { steps = 95000, lr { peak = 1e-4, schedule = constant }, grad-clip = 1.0 }
      tokenize { tile-size = null, progress-interval = 30s, tasks = [und, gen] }
      fetch { max-bytes = 50MiB }
      text { special-ids { } }
      """);

  @Test
  void aTypoIsRefusedWithTheClosestKnownKey() {
    SettingsException e = assertThrows(SettingsException.class,
        () -> LayeredConfig.load(DEFAULTS, null, List.of("train.lr.peek=1")));
    assertTrue(e.getMessage().contains("unknown setting 'train.lr.peek'"), e.getMessage());
    assertTrue(e.getMessage().contains("did you mean 'train.lr.peak'"), e.getMessage());
    assertTrue(e.getMessage().contains("train.lr.peek=1"), "names where it came from: " + e.getMessage());
  }

  @Test
  void aWrongTypeNamesTheWholeKey() {
    SettingsException e = assertThrows(SettingsException.class,
        () -> LayeredConfig.load(DEFAULTS, null, List.of("train.steps=many")));
    assertTrue(e.getMessage().startsWith("setting 'train.steps' must be a number"), e.getMessage());
    assertThrows(SettingsException.class, () -> LayeredConfig.load(DEFAULTS, null, List.of("train.steps=2.5")));
    assertThrows(SettingsException.class, () -> LayeredConfig.load(DEFAULTS, null, List.of("tokenize.progress-interval=soon")));
    assertThrows(SettingsException.class, () -> LayeredConfig.load(DEFAULTS, null, List.of("fetch.max-bytes=lots")));
    assertThrows(SettingsException.class, () -> LayeredConfig.load(DEFAULTS, null, List.of("train.lr=3")));
  }

  @Test
  void knownKeysOfTheRightTypeLayerInCommandLineOrder(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("user.conf");
    Files.writeString(file, "train.steps = 10\ntrain.lr.peak = 3e-3\n");
    Config c = LayeredConfig.load(DEFAULTS, file,
        List.of("train.steps=20", "train.steps=\"30\"", "tokenize.tile-size=64", "tokenize.progress-interval=5s",
            "fetch.max-bytes=1MiB", "train.grad-clip=2", "text.special-ids.\"<s>\"=7"),
        "text.special-ids");
    assertEquals(30, c.getInt("train.steps"));
    assertEquals(3e-3, c.getDouble("train.lr.peak"));
    assertEquals(64, c.getInt("tokenize.tile-size"));
    assertEquals(2.0, c.getDouble("train.grad-clip"));
    assertEquals(7, c.getInt("text.special-ids.\"<s>\""));
    assertEquals("constant", c.getString("train.lr.schedule"));
  }

  @Test
  void aNullInTheUsersFileUnsetsAKnownKey(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("user.conf");
    Files.writeString(file, "tokenize.tile-size = null\ntrain.grad-clip = null\n");
    Config c = LayeredConfig.load(DEFAULTS, file, List.of());
    assertTrue(c.getIsNull("tokenize.tile-size"));
    assertTrue(c.getIsNull("train.grad-clip"));
    SettingsException e = assertThrows(SettingsException.class,
        () -> LayeredConfig.load(DEFAULTS, null, List.of("train.grad-clop=null")));
    assertTrue(e.getMessage().contains("did you mean 'train.grad-clip'"), e.getMessage());
  }

  @Test
  void aMissingConfFileOrAMalformedSettingIsBadInput(@TempDir Path dir) {
    SettingsException e = assertThrows(SettingsException.class,
        () -> LayeredConfig.load(DEFAULTS, dir.resolve("nope.conf"), List.of()));
    assertTrue(e.getMessage().contains("nope.conf: no such file"), e.getMessage());
    assertThrows(SettingsException.class, () -> LayeredConfig.load(DEFAULTS, null, List.of("train.steps")));
  }

  @Test
  void closestKeyIsByEditDistance() {
    assertEquals(1, LayeredConfig.editDistance("peek", "peak"));
    assertEquals(3, LayeredConfig.editDistance("kitten", "sitting"));
    assertEquals("train.steps", LayeredConfig.closest("train.step", List.of("train.seed", "train.steps")));
    assertEquals(null, LayeredConfig.closest("completely.different.thing", List.of("train.steps")));
  }
}
