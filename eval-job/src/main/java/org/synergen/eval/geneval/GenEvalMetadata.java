package org.synergen.eval.geneval;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.synergen.eval.data.JsonLines;

/**
 * GenEval's prompts and class names. The official 553 prompts and 80 COCO class names ship in this
 * jar (resources geneval/, MIT licence, Dhruba Ghosh 2023); a user file can replace the prompts.
 */
public final class GenEvalMetadata {
  private GenEvalMetadata() {}

  /** The bundled official evaluation_metadata.jsonl. */
  public static List<GenEvalPrompt> official() {
    try (BufferedReader r = resource("evaluation_metadata.jsonl")) {
      return prompts(JsonLines.read(r, Path.of("geneval/evaluation_metadata.jsonl")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The detector's class names, in the order its outputs are indexed. */
  public static List<String> objectNames() {
    try (BufferedReader r = resource("object_names.txt")) {
      return r.lines().map(String::strip).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static List<GenEvalPrompt> read(Path file) {
    return prompts(JsonLines.read(file));
  }

  private static List<GenEvalPrompt> prompts(List<JsonLines.Line> lines) {
    List<GenEvalPrompt> prompts = new ArrayList<>();
    for (JsonLines.Line line : lines) {
      prompts.add(parse(prompts.size(), line));
    }
    return prompts;
  }

  static GenEvalPrompt parse(int index, JsonLines.Line line) {
    JsonNode json = line.json();
    return new GenEvalPrompt(index, line.text("tag"), line.text("prompt"),
        clauses(line, "include"), clauses(line, "exclude"), json);
  }

  private static List<GenEvalPrompt.Clause> clauses(JsonLines.Line line, String field) {
    List<GenEvalPrompt.Clause> out = new ArrayList<>();
    JsonNode list = line.json().get(field);
    if (list == null) {
      return out;
    }
    if (!list.isArray()) {
      throw line.error("\"" + field + "\" must be an array of clauses");
    }
    for (JsonNode c : list) {
      JsonNode cls = c.get("class");
      JsonNode count = c.get("count");
      if (cls == null || !cls.isTextual() || count == null || !count.isInt()) {
        throw line.error("each \"" + field + "\" clause needs a string \"class\" and an integer \"count\", found " + c);
      }
      String color = c.hasNonNull("color") ? c.get("color").asText() : null;
      String relation = null;
      int target = -1;
      JsonNode position = c.get("position");
      if (position != null) {
        if (!position.isArray() || position.size() != 2 || !position.get(1).isInt()
            || position.get(1).asInt() < 0 || position.get(1).asInt() >= out.size()) {
          throw line.error("\"position\" must be [relation, index of an earlier include clause], found " + position);
        }
        relation = position.get(0).asText();
        target = position.get(1).asInt();
      }
      out.add(new GenEvalPrompt.Clause(cls.asText(), count.asInt(), color, relation, target));
    }
    return out;
  }

  private static BufferedReader resource(String name) {
    InputStream in = GenEvalMetadata.class.getResourceAsStream("/geneval/" + name);
    if (in == null) {
      throw new IllegalStateException("resource geneval/" + name + " is missing from the jar");
    }
    return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
  }
}
