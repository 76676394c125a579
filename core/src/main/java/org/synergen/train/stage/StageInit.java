package org.synergen.train.stage;

import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.synergen.config.ModelConfig;
import org.synergen.model.ModelCheckpoint;
import org.synergen.model.SynerGenModel;

/**
 * A stage's starting weights ({@code --init}) and the model config they imply.
 *
 * @param description what was loaded, for the job's "model:" line
 */
public record StageInit(ModelConfig config, Map<String, INDArray> parameters, String description) {
  public static final String RANDOM = "random:";

  /**
   * {@code random:MODEL_CONF} (random weights from {@code train.seed}: tests and the embedded default
   * only), or a checkpoint directory: ours (an earlier stage's {@code checkpoint-N}), or a text-only
   * HF checkpoint whose image parts are created as {@code init.vision-from} says.
   *
   * @param home the project folder, against which relative model files are resolved
   */
  public static StageInit resolve(String init, StageSettings settings, Path home) throws IOException {
    if (init.startsWith(RANDOM)) {
      Path file = resolve(home, init.substring(RANDOM.length()));
      if (!Files.isRegularFile(file)) {
        throw new IllegalArgumentException("--init " + init + ": no model config file " + file);
      }
      ModelConfig cfg = ModelConfig.fromConfig(ConfigFactory.parseFile(file.toFile()).resolve().getConfig("model"));
      return new StageInit(cfg, SynerGenModel.create(cfg, settings.seed()).parameters(),
          "random weights from seed " + settings.seed() + " (" + file.getFileName() + ")");
    }
    Path dir = Path.of(init);
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException("--init " + init + " is neither a checkpoint directory nor random:MODEL_CONF");
    }
    Path visionFile = resolve(home, settings.visionFrom());
    if (!Files.isRegularFile(visionFile)) {
      throw new IllegalArgumentException("init.vision-from: no model config file " + visionFile);
    }
    ModelConfig.Vision vision = ModelConfig.fromConfig(ConfigFactory.parseFile(visionFile.toFile()).resolve()
        .getConfig("model")).vision();
    ModelCheckpoint.Loaded loaded = ModelCheckpoint.load(dir, vision, settings.seed());
    return new StageInit(loaded.config(), loaded.parameters(), dir + (loaded.imagePartsCreated()
        ? " (text-only; image parts created from seed " + settings.seed() + ", vision experts = text FFN copies)"
        : " (SynerGen checkpoint)"));
  }

  private static Path resolve(Path home, String path) {
    Path p = Path.of(path);
    return p.isAbsolute() || Files.exists(p) ? p : home.resolve(p);
  }
}
