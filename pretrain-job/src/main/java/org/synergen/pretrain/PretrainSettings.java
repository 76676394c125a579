package org.synergen.pretrain;

import java.nio.file.Path;
import java.util.List;
import org.synergen.train.stage.StageSettings;

/** pretrain's settings: {@code conf/stages/stage<N>.conf} under the user's layers, for stage 1 or 2. */
final class PretrainSettings {
  private PretrainSettings() {}

  static StageSettings load(Path home, int stage, Path conf, List<String> overrides) {
    if (stage != 1 && stage != 2) {
      throw new IllegalArgumentException("--stage must be 1 or 2, got " + stage);
    }
    StageSettings s = StageSettings.load(home.resolve("conf/stages/stage" + stage + ".conf"), conf, overrides);
    if (s.stage() != stage) {
      throw new IllegalArgumentException("--stage " + stage + " but the settings say train.stage = " + s.stage());
    }
    return s;
  }
}
