package org.synergen.eval.geneval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.synergen.eval.data.EvalInputException;
import org.synergen.eval.data.JsonLines;
import org.synergen.eval.report.Reports;

/**
 * Scores a detections file against GenEval's prompts the way evaluate_images.py +
 * summary_scores.py do: per-tag accuracy over images, and the overall score as the unweighted mean
 * of the tags' accuracies (0-1, the scale GenEval publishes).
 *
 * <p>Detections file: one line per generated image,
 * {@code {"index": 42, "sample": 0, "detections": [{"class": "dog", "score": 0.97,
 * "box": [x1, y1, x2, y2], "color": "brown"}, ...]}}, where index is the prompt's line (from 0) in
 * the metadata file and "color" is needed only for the objects of colour prompts.
 */
public final class GenEvalEvaluation {
  private GenEvalEvaluation() {}

  /** One scored image. */
  public record ImageResult(int index, int sample, String tag, boolean correct, List<String> reasons) {}

  public static List<ImageResult> scoreImages(List<GenEvalPrompt> prompts, Path detectionsFile) {
    Set<String> classes = new HashSet<>(GenEvalMetadata.objectNames());
    Set<String> seen = new HashSet<>();
    List<ImageResult> results = new ArrayList<>();
    for (JsonLines.Line line : JsonLines.read(detectionsFile)) {
      JsonNode json = line.json();
      if (!json.path("index").isInt()) {
        throw line.error("\"index\" must be the prompt's line number (an integer from 0)");
      }
      int index = json.get("index").asInt();
      if (index < 0 || index >= prompts.size()) {
        throw line.error("\"index\" " + index + " is not a prompt of the metadata file (0.." + (prompts.size() - 1) + ")");
      }
      int sample = json.has("sample") ? json.get("sample").asInt(-1) : 0;
      if (sample < 0) {
        throw line.error("\"sample\" must be a non-negative integer");
      }
      if (!seen.add(index + "/" + sample)) {
        throw line.error("image " + index + "/" + sample + " appears twice");
      }
      GenEvalPrompt prompt = prompts.get(index);
      List<Detection> detections = detections(line, classes);
      requireColors(line, prompt, detections);
      GenEvalScorer.Verdict v = GenEvalScorer.evaluate(prompt, detections);
      results.add(new ImageResult(index, sample, prompt.tag(), v.correct(), v.reasons()));
    }
    if (results.isEmpty()) {
      throw new EvalInputException(detectionsFile, "no images in the detections file");
    }
    return results;
  }

  public static ObjectNode report(List<GenEvalPrompt> prompts, List<ImageResult> results) {
    // tags in order of first appearance, like pandas groupby(sort=False)
    Map<String, int[]> byTag = new LinkedHashMap<>();
    Map<Integer, Boolean> promptCorrect = new LinkedHashMap<>();
    int correctImages = 0;
    for (ImageResult r : results) {
      int[] t = byTag.computeIfAbsent(r.tag(), k -> new int[2]);
      t[0] += r.correct() ? 1 : 0;
      t[1]++;
      correctImages += r.correct() ? 1 : 0;
      promptCorrect.merge(r.index(), r.correct(), Boolean::logicalOr);
    }
    ObjectNode report = Reports.object();
    report.put("task", "geneval");
    report.put("metric", "geneval");
    report.put("scale", "fraction (0-1), as GenEval publishes");
    double sum = 0;
    ObjectNode tags = Reports.object();
    for (Map.Entry<String, int[]> e : byTag.entrySet()) {
      double accuracy = (double) e.getValue()[0] / e.getValue()[1];
      sum += accuracy;
      tags.putObject(e.getKey()).put("score", accuracy).put("correct", e.getValue()[0]).put("images", e.getValue()[1]);
    }
    Reports.put(report, "overall", sum / byTag.size());
    report.put("overall_is", "unweighted mean of the tags' image accuracies");
    report.put("images", results.size());
    report.put("prompts", promptCorrect.size());
    report.put("correct_images_percent", 100.0 * correctImages / results.size());
    report.put("correct_prompts_percent",
        100.0 * promptCorrect.values().stream().filter(b -> b).count() / promptCorrect.size());
    report.set("breakdown", Reports.object().set("tag", tags));
    List<String> without = new ArrayList<>();
    for (GenEvalPrompt p : prompts) {
      if (!promptCorrect.containsKey(p.index())) {
        without.add(String.valueOf(p.index()));
      }
    }
    ObjectNode missing = Reports.object();
    missing.put("count", without.size());
    missing.set("indices", Reports.MAPPER.valueToTree(without.stream().limit(Reports.MAX_LISTED_IDS).toList()));
    report.set("prompts_without_images", missing);
    return report;
  }

  private static List<Detection> detections(JsonLines.Line line, Set<String> classes) {
    JsonNode list = line.json().get("detections");
    if (list == null || !list.isArray()) {
      throw line.error("\"detections\" must be an array (empty when nothing was detected)");
    }
    List<Detection> out = new ArrayList<>();
    for (JsonNode d : list) {
      JsonNode box = d.get("box");
      if (!d.path("class").isTextual() || !d.path("score").isNumber() || box == null || !box.isArray()
          || box.size() != 4 || !box.get(0).isNumber() || !box.get(1).isNumber() || !box.get(2).isNumber()
          || !box.get(3).isNumber()) {
        throw line.error("each detection needs \"class\" (string), \"score\" (number) and \"box\" "
            + "([x1, y1, x2, y2]), found " + d);
      }
      String cls = d.get("class").asText();
      if (!classes.contains(cls)) {
        throw line.error("\"" + cls + "\" is not one of GenEval's 80 detector classes (object_names.txt)");
      }
      String color = d.hasNonNull("color") ? d.get("color").asText() : null;
      out.add(new Detection(cls, (float) d.get("score").asDouble(), (float) box.get(0).asDouble(),
          (float) box.get(1).asDouble(), (float) box.get(2).asDouble(), (float) box.get(3).asDouble(), color));
    }
    return out;
  }

  /** A colour prompt's judged objects must carry the colour classifier's answer. */
  private static void requireColors(JsonLines.Line line, GenEvalPrompt prompt, List<Detection> detections) {
    Map<String, List<Detection>> kept = GenEvalScorer.kept(prompt, detections);
    for (GenEvalPrompt.Clause c : prompt.include()) {
      if (!c.hasColor()) {
        continue;
      }
      List<Detection> found = kept.getOrDefault(c.className(), List.of());
      for (Detection d : found.subList(0, Math.min(c.count(), found.size()))) {
        if (d.color() == null) {
          throw line.error("prompt " + prompt.index() + " asks for a " + c.color() + " " + c.className()
              + ", so its detections of " + c.className() + " need a \"color\"");
        }
      }
    }
  }
}
