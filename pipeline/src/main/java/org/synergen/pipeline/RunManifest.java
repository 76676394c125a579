package org.synergen.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.synergen.config.SettingsException;

/**
 * {@code pipeline.json} in a run folder: which pipeline the folder belongs to (its name, the
 * digest of its settings, and the settings themselves). A run folder is resumed only by the
 * pipeline that made it, so stage outputs of two pipelines never mix.
 */
public final class RunManifest {
  public static final String FILE = "pipeline.json";
  private static final String FORMAT = "synergen-pipeline/1";
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private RunManifest() {}

  /**
   * Claims {@code runDir} for {@code settings}: writes the manifest into a new or empty folder,
   * accepts one this pipeline wrote, and refuses any other folder (bad input, before any stage runs).
   */
  public static void claim(Path runDir, PipelineSettings settings) throws IOException {
    Path file = runDir.resolve(FILE);
    if (Files.isRegularFile(file)) {
      check(file, settings);
      return;
    }
    if (Files.exists(runDir) && !isEmptyFolder(runDir)) {
      throw new SettingsException(runDir + " is not empty and holds no " + FILE + ", so it is not a pipeline's"
          + " run folder; choose a new --output");
    }
    Files.createDirectories(runDir);
    ObjectNode m = JSON.createObjectNode().put("format", FORMAT).put("pipeline", settings.name())
        .put("settings_sha256", settings.identity());
    ObjectNode s = m.putObject("settings");
    settings.flat().forEach(s::put);
    Files.writeString(file, JSON.writeValueAsString(m));
  }

  private static void check(Path file, PipelineSettings settings) throws IOException {
    JsonNode m;
    try {
      m = JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new SettingsException(file + " is not readable JSON (" + e.getMessage() + "); choose a new --output");
    }
    if (m == null || !FORMAT.equals(m.path("format").asText())) {
      throw new SettingsException(file + " is not a pipeline manifest (format '" + FORMAT + "'); choose a new --output");
    }
    if (settings.identity().equals(m.path("settings_sha256").asText())) {
      return;
    }
    Map<String, String> theirs = new TreeMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = m.path("settings").properties().iterator(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      theirs.put(e.getKey(), e.getValue().asText());
    }
    throw new SettingsException(file.getParent() + " belongs to another pipeline ('" + m.path("pipeline").asText()
        + "', settings " + abbreviate(m.path("settings_sha256").asText()) + "; these are '" + settings.name()
        + "', " + abbreviate(settings.identity()) + "): " + differences(theirs, settings.flat())
        + "; choose a new --output, or run with that folder's settings");
  }

  /** The first few settings that differ, as "key: there -> here". */
  static String differences(Map<String, String> there, Map<String, String> here) {
    TreeMap<String, String> keys = new TreeMap<>(there);
    keys.putAll(here);
    List<String> diffs = new ArrayList<>();
    for (String k : keys.keySet()) {
      String a = there.get(k);
      String b = here.get(k);
      if (a == null || !a.equals(b)) {
        diffs.add(k + ": " + (a == null ? "(unset)" : a) + " there, " + (b == null ? "(unset)" : b) + " here");
      }
    }
    int shown = Math.min(3, diffs.size());
    return String.join("; ", diffs.subList(0, shown)) + (diffs.size() > shown ? " (and " + (diffs.size() - shown)
        + " more)" : "");
  }

  private static String abbreviate(String sha) {
    return sha.length() > 12 ? sha.substring(0, 12) : sha;
  }

  private static boolean isEmptyFolder(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.findAny().isEmpty();
    }
  }
}
