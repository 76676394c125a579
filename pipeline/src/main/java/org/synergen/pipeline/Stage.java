package org.synergen.pipeline;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.synergen.config.SettingsException;

/** The pipeline's stages in the order they run, by the names conf/pipeline.conf and --stages use. */
public enum Stage {
  INGEST("ingest", "metadata -> image shards"),
  TOKENIZE("tokenize", "image shards -> token shards"),
  STAGE1("stage1", "pretrain stage 1"),
  STAGE2("stage2", "pretrain stage 2"),
  SFT("sft", "instruction tuning"),
  EVAL("eval", "eval run"),
  REPORT("report", "eval report");

  private final String configName;
  private final String what;

  Stage(String configName, String what) {
    this.configName = configName;
    this.what = what;
  }

  public String configName() {
    return configName;
  }

  /** The stage's name and what it does, for progress and error lines. */
  public String title() {
    return configName + " (" + what + ")";
  }

  /** The stage called {@code name}; an unknown name is bad input naming every known one. */
  public static Stage named(String name) {
    for (Stage s : values()) {
      if (s.configName.equals(name.strip().toLowerCase(Locale.ROOT))) {
        return s;
      }
    }
    throw new SettingsException("unknown stage '" + name + "'; the stages are "
        + Arrays.stream(values()).map(Stage::configName).collect(Collectors.joining(", ")));
  }
}
