package org.synergen.pipeline;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.synergen.config.LayeredConfig;
import org.synergen.config.SettingsException;

/**
 * Every knob of the pipeline, read from the {@code pipeline} block of conf/pipeline.conf. The jobs'
 * own settings blocks ({@code pipeline.ingest.settings} ...) are passed to the jobs as
 * {@code key=value} arguments, and the jobs check them.
 *
 * @param identity a digest of every setting except the stage selection: what makes two pipelines
 *                 different ({@link RunManifest})
 * @param flat     those settings, one line each, for saying how two pipelines differ
 */
public record PipelineSettings(
    String name,
    EnumSet<Stage> stages,
    String vq,
    String ingestInput,
    List<String> ingestSettings,
    List<String> tokenizeSettings,
    String pretrainInit,
    int pretrainSteps,
    List<String> stage1Settings,
    List<String> stage2Settings,
    String sftConversations,
    String sftImageRoot,
    List<String> sftSettings,
    String evalTask,
    String evalData,
    Integer evalLimit,
    List<String> evalOptions,
    String identity,
    Map<String, String> flat) {

  /** Blocks whose keys belong to the jobs, not to the pipeline: the jobs check them. */
  static final String[] JOB_SETTINGS = {"pipeline.ingest.settings", "pipeline.tokenize.settings",
      "pipeline.pretrain.settings", "pipeline.pretrain.stage1", "pipeline.pretrain.stage2",
      "pipeline.sft.settings"};

  public PipelineSettings {
    if (pretrainSteps < 1) {
      throw new SettingsException("pipeline.pretrain.steps must be at least 1, got " + pretrainSteps);
    }
    if (evalLimit != null && evalLimit < 1) {
      throw new SettingsException("pipeline.eval.limit must be at least 1 (or null: all), got " + evalLimit);
    }
  }

  /**
   * Layers, lowest first: the bundled {@code pipeline.conf} (the keys), the user's file (required:
   * by default the project's conf/pipeline.conf), then {@code key=value} overrides.
   */
  public static Config load(Path userConf, List<String> overrides) {
    Config defaults = ConfigFactory.parseResources("pipeline.conf");
    if (defaults.isEmpty()) {
      throw new IllegalStateException("pipeline.conf is missing from the classpath (broken build?)");
    }
    // a job block's defaults are the pipeline's choices, not the whole set of allowed keys
    return LayeredConfig.load(defaults, userConf, overrides, JOB_SETTINGS);
  }

  public static PipelineSettings from(Config root) {
    Config c = root.getConfig("pipeline");
    EnumSet<Stage> stages = EnumSet.noneOf(Stage.class);
    for (String s : c.getStringList("stages")) {
      stages.add(Stage.named(s));
    }
    Map<String, String> flat = new TreeMap<>();
    flatten(root.root(), "", flat);
    flat.remove("pipeline.stages");
    Config pretrain = c.getConfig("pretrain");
    List<String> both = keyValues(pretrain.getValue("settings"));
    return new PipelineSettings(
        c.getString("name"),
        stages,
        c.getString("vq"),
        c.getString("ingest.input"),
        keyValues(c.getValue("ingest.settings")),
        keyValues(c.getValue("tokenize.settings")),
        pretrain.getString("init"),
        pretrain.getInt("steps"),
        concat(both, keyValues(pretrain.getValue("stage1"))),
        concat(both, keyValues(pretrain.getValue("stage2"))),
        c.getString("sft.conversations"),
        c.getIsNull("sft.image-root") ? null : c.getString("sft.image-root"),
        keyValues(c.getValue("sft.settings")),
        c.getString("eval.task"),
        c.getIsNull("eval.data") ? null : c.getString("eval.data"),
        c.getIsNull("eval.limit") ? null : c.getInt("eval.limit"),
        c.getStringList("eval.options"),
        digest(flat),
        flat);
  }

  /** A block of settings as the {@code key=value} arguments every job takes (HOCON values, nulls kept). */
  static List<String> keyValues(ConfigValue block) {
    if (!(block instanceof ConfigObject obj)) {
      throw new SettingsException("a job's settings must be a block { key = value ... }, got " + block.render());
    }
    Map<String, String> flat = new TreeMap<>();
    flatten(obj, "", flat);
    List<String> out = new ArrayList<>();
    flat.forEach((k, v) -> out.add(k + "=" + v));
    return out;
  }

  private static void flatten(ConfigObject obj, String prefix, Map<String, String> out) {
    for (Map.Entry<String, ConfigValue> e : obj.entrySet()) {
      String path = (prefix.isEmpty() ? "" : prefix + ".") + ConfigUtil.joinPath(e.getKey());
      if (e.getValue() instanceof ConfigObject child && !child.isEmpty()) {
        flatten(child, path, out);
      } else {
        out.put(path, e.getValue().render(ConfigRenderOptions.concise()));
      }
    }
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  private static String digest(Map<String, String> flat) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      flat.forEach((k, v) -> sha.update((k + "=" + v + "\n").getBytes(StandardCharsets.UTF_8)));
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
