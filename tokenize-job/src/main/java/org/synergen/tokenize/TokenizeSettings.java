package org.synergen.tokenize;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;
import java.io.File;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.synergen.config.LayeredConfig;
import org.synergen.config.ModelConfig;
import org.synergen.data.TokenShardRow;
import org.synergen.vision.tiling.TilingConfig;

/**
 * Every knob of the tokenize job, resolved on the driver and shipped to the shard tasks.
 *
 * @param stage        {@code 1}, {@code 2} or {@code sft}: whose tiling block applies
 * @param modelConfig  the model file's {@code model {}} block, rendered: fold size, codebook, grid
 *                     limits (records of core are not Serializable, strings are)
 * @param textConfig   the model file's {@code text {}} block, rendered (parsed again on executors)
 * @param vqDir        the VQ tokenizer folder
 * @param tileSize     S of the tiling (the stage's value unless tokenize.tile-size overrides it)
 * @param genSize      side of the one generation image (its whole picture resized to a square)
 * @param tasks        sample kinds per image, in output order ({@code und}, {@code gen})
 */
public record TokenizeSettings(
    String master,
    String stage,
    String modelConfig,
    String textConfig,
    String vqDir,
    int tileSize,
    int minTiles,
    int maxTiles,
    boolean thumbnail,
    List<String> tasks,
    String prompt,
    int genSize,
    double uncondRatio,
    long seed,
    int encodeBatch,
    Duration progressInterval) implements Serializable {

  public TokenizeSettings {
    if (tasks.isEmpty()) {
      throw new IllegalArgumentException("tokenize.tasks is empty: list und, gen or both");
    }
    for (String t : tasks) {
      if (!t.equals(TokenShardRow.UNDERSTANDING) && !t.equals(TokenShardRow.GENERATION)) {
        throw new IllegalArgumentException("tokenize.tasks: unknown task '" + t + "' (und or gen)");
      }
    }
    if (uncondRatio < 0 || uncondRatio > 1) {
      throw new IllegalArgumentException("tokenize.generation.uncond-ratio must be in [0, 1], got " + uncondRatio);
    }
    if (encodeBatch < 1) {
      throw new IllegalArgumentException("tokenize.encode-batch must be at least 1, got " + encodeBatch);
    }
  }

  public TilingConfig tiling() {
    return new TilingConfig(tileSize, minTiles, maxTiles, thumbnail);
  }

  /** The model's image-part shapes. */
  public ModelConfig.Vision vision() {
    return ModelConfig.fromConfig(ConfigFactory.parseString(modelConfig)).vision();
  }

  public Config text() {
    return ConfigFactory.parseString(textConfig);
  }

  /**
   * Layers, lowest first: the bundled {@code tokenize.conf}, the model file it names, the user's
   * file, then {@code key=value} overrides (so {@code model.vision.fold-cols=8} works too). Keys
   * and types are checked against the first two; {@code text.special-ids} is the user's to fill.
   */
  public static Config load(Path home, File userConf, List<String> overrides) {
    Config defaults = ConfigFactory.parseResources("tokenize.conf");
    if (defaults.isEmpty()) {
      throw new IllegalStateException("tokenize.conf is missing from the classpath (broken build?)");
    }
    Config top = LayeredConfig.userLayers(userConf == null ? null : userConf.toPath(), overrides);
    Config merged = top.withFallback(defaults);
    Path modelFile = resolve(home, merged.getString("tokenize.model"));
    if (!Files.isRegularFile(modelFile)) {
      throw new IllegalArgumentException("tokenize.model = " + modelFile + ": no such model config file");
    }
    Config known = defaults.withFallback(ConfigFactory.parseFile(modelFile.toFile()))
        .withFallback(ConfigFactory.parseString("text { tokenizer = null }"));
    LayeredConfig.requireKnown(top, known, "text.special-ids");
    return LayeredConfig.resolve(top.withFallback(known));
  }


  /** Reads the settings; stage files are found under {@code home/conf/stages}. */
  public static TokenizeSettings from(Config root, Path home) {
    Config c = root.getConfig("tokenize");
    String stage = c.getString("stage");
    Path stageFile = stageFile(home, stage);
    if (!Files.isRegularFile(stageFile)) {
      throw new IllegalArgumentException("stage " + stage + ": " + stageFile + " is missing (run through"
          + " bin/synergen, or set -Dsynergen.home to the project folder)");
    }
    TilingConfig t = TilingConfig.fromConfig(ConfigFactory.parseFile(stageFile.toFile()).resolve().getConfig("tiling"));
    int tile = c.getIsNull("tile-size") ? t.tileSize() : c.getInt("tile-size");
    int gen = c.getIsNull("generation.image-size") ? tile : c.getInt("generation.image-size");
    return new TokenizeSettings(
        c.getString("spark.master"),
        stage,
        root.getConfig("model").root().render(ConfigRenderOptions.concise()),
        root.hasPath("text") ? root.getConfig("text").root().render(ConfigRenderOptions.concise()) : "{}",
        resolve(home, c.getString("vq")).toString(),
        tile, t.minTiles(), t.maxTiles(), t.thumbnail(),
        c.getStringList("tasks"),
        c.getString("understanding.prompt"),
        gen,
        c.getDouble("generation.uncond-ratio"),
        c.getLong("generation.seed"),
        c.getInt("encode-batch"),
        c.getDuration("progress-interval"));
  }

  /** conf/stages/FILE of a stage. */
  static Path stageFile(Path home, String stage) {
    return resolve(home, "conf/stages/" + stageFileName(stage));
  }

  private static String stageFileName(String stage) {
    return switch (stage) {
      case "1", "stage1" -> "stage1.conf";
      case "2", "stage2" -> "stage2.conf";
      case "sft" -> "sft.conf";
      default -> throw new IllegalArgumentException("tokenize.stage must be 1, 2 or sft, got '" + stage + "'");
    };
  }

  static Path resolve(Path home, String p) {
    Path path = Path.of(p);
    return path.isAbsolute() ? path : home.resolve(path).normalize();
  }
}
