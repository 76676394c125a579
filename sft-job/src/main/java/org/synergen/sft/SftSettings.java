package org.synergen.sft;

import java.nio.file.Path;
import java.util.List;
import org.synergen.train.stage.StageSettings;

/** sft's settings: {@code conf/stages/sft.conf} under the user's layers. */
final class SftSettings {
  /** SFT follows the two alignment stages; its number in trainer_state.json and the progress lines. */
  static final int STAGE = 3;

  private SftSettings() {}

  static StageSettings load(Path home, Path conf, List<String> overrides) {
    StageSettings s = StageSettings.load(home.resolve("conf/stages/sft.conf"), conf, overrides);
    if (s.stage() != STAGE) {
      throw new IllegalArgumentException("train.stage of sft is " + STAGE + " (after stages 1 and 2), got " + s.stage());
    }
    return s;
  }
}
