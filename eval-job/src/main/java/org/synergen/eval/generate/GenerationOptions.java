package org.synergen.eval.generate;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import org.synergen.model.decode.Guidance;
import org.synergen.vision.tiling.TilingConfig;

/**
 * How a {@link CheckpointGenerator} prepares questions and samples images.
 *
 * @param tiling         dynamic resolution of question images (as tokenize-job tiles a stage's images)
 * @param guidance       CFG scale and sampling of image ids
 * @param negativePrompt the unconditional branch's caption; null = the {@code <UNCOND>} prompt
 *                       tokenize-job trains with
 * @param batch          images sampled at once (each with its own seed and, under CFG, its own
 *                       unconditional row)
 */
public record GenerationOptions(TilingConfig tiling, Guidance guidance, String negativePrompt, int batch) {

  public GenerationOptions {
    if (batch < 1) {
      throw new IllegalArgumentException("batch must be >= 1, got " + batch);
    }
  }

  /**
   * The stage's tiling from {@code home/conf/stages}, with tokenize's {@code tile-size} override from
   * {@code home/conf/tokenize.conf} when it sets one (the committed VQ is used at 128 pixels), and
   * Emu3's sampling defaults.
   */
  public static GenerationOptions fromConf(Path home, String stage) {
    String file = switch (stage) {
      case "1" -> "stage1.conf";
      case "2" -> "stage2.conf";
      case "sft" -> "sft.conf";
      default -> throw new IllegalArgumentException("stage must be 1, 2 or sft, got '" + stage + "'");
    };
    Path stageFile = home.resolve("conf/stages").resolve(file);
    if (!Files.isRegularFile(stageFile)) {
      throw new IllegalArgumentException(stageFile + " is missing: run from the repository (bin/synergen sets it)");
    }
    TilingConfig t = TilingConfig.fromConfig(ConfigFactory.parseFile(stageFile.toFile()).resolve().getConfig("tiling"));
    Path tokenize = home.resolve("conf/tokenize.conf");
    if (Files.isRegularFile(tokenize)) {
      Config c = ConfigFactory.parseFile(tokenize.toFile()).resolve().getConfig("tokenize");
      if (c.hasPath("tile-size") && !c.getIsNull("tile-size")) {
        t = new TilingConfig(c.getInt("tile-size"), t.minTiles(), t.maxTiles(), t.thumbnail());
      }
    }
    return new GenerationOptions(t, Guidance.EMU3, null, 1);
  }

  public GenerationOptions withGuidance(Guidance g) {
    return new GenerationOptions(tiling, g, negativePrompt, batch);
  }

  public GenerationOptions withNegativePrompt(String p) {
    return new GenerationOptions(tiling, guidance, p, batch);
  }

  public GenerationOptions withBatch(int b) {
    return new GenerationOptions(tiling, guidance, negativePrompt, b);
  }

  /** The repository root: the launcher's {@code synergen.home}, else the working directory. */
  public static Path home() {
    return Path.of(System.getProperty("synergen.home", "."));
  }
}
