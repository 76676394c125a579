package org.synergen.eval.geneval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.synergen.eval.ReferenceFixtures;
import org.synergen.eval.data.EvalInputException;

/**
 * GenEval against its own evaluate_images.py rules and summary_scores.py, run by
 * scripts/reference/eval_metrics_reference.py on 300 images with random detections.
 */
class GenEvalReferenceTest {
  private static final JsonNode REF = ReferenceFixtures.load("geneval_reference.json");

  @Test
  void officialMetadataIsBundled() {
    List<GenEvalPrompt> prompts = GenEvalMetadata.official();
    assertEquals(553, prompts.size());
    assertEquals(80, GenEvalMetadata.objectNames().size());
    assertEquals(Set.of("single_object", "two_object", "counting", "colors", "position", "color_attr"),
        Set.copyOf(prompts.stream().map(GenEvalPrompt::tag).toList()));
  }

  @Test
  void everyImageAndTheSummaryMatchTheOfficialScripts(@TempDir Path dir) throws IOException {
    Path det = dir.resolve("det.jsonl");
    List<String> lines = new ArrayList<>();
    for (JsonNode image : REF.get("images")) {
      ObjectNode line = new ObjectMapper().createObjectNode();
      line.put("index", image.get("index").asInt()).put("sample", image.get("sample").asInt());
      line.set("detections", image.get("detections"));
      lines.add(line.toString());
    }
    Files.write(det, lines);
    List<GenEvalPrompt> prompts = GenEvalMetadata.official();
    List<GenEvalEvaluation.ImageResult> results = GenEvalEvaluation.scoreImages(prompts, det);
    int i = 0;
    int correct = 0;
    for (JsonNode image : REF.get("images")) {
      GenEvalEvaluation.ImageResult r = results.get(i++);
      assertEquals(image.get("correct").asBoolean(), r.correct(), "image " + image.get("index") + "/"
          + image.get("sample") + " " + r.reasons());
      correct += r.correct() ? 1 : 0;
    }
    assertTrue(correct > 20, "the fixture should hold enough correct images to be telling");
    ObjectNode report = GenEvalEvaluation.report(prompts, results);
    // summary_scores.py prints the overall to 5 decimals and the percentages to 2
    assertEquals(REF.get("overall").asDouble(), report.get("overall").asDouble(), 5e-6);
    assertEquals(REF.get("correct_images_percent").asDouble(), report.get("correct_images_percent").asDouble(), 5e-3);
    assertEquals(REF.get("correct_prompts_percent").asDouble(), report.get("correct_prompts_percent").asDouble(), 5e-3);
    REF.get("tags").fields().forEachRemaining(e -> {
      JsonNode ours = report.get("breakdown").get("tag").get(e.getKey());
      assertEquals(e.getValue().get(0).asInt(), ours.get("correct").asInt(), e.getKey());
      assertEquals(e.getValue().get(1).asInt(), ours.get("images").asInt(), e.getKey());
    });
  }

  @Test
  void handCheckedPositionAndCounting() {
    Detection left = new Detection("dog", 0.95f, 0, 0, 10, 10, null);
    Detection right = new Detection("cat", 0.95f, 30, 0, 40, 10, null);
    assertEquals(Set.of(RelativePosition.Relation.LEFT_OF), RelativePosition.of(left, right));
    // centres 12 apart, sizes 10 + 10: the 0.1 margin shrinks the offset to 10, 10/12 > 0.5
    Detection near = new Detection("cat", 0.95f, 12, 0, 22, 10, null);
    assertEquals(Set.of(RelativePosition.Relation.LEFT_OF), RelativePosition.of(left, near));
    // centres 2 apart: shrunk to 0, no relation
    Detection overlapping = new Detection("cat", 0.95f, 2, 0, 12, 10, null);
    assertEquals(Set.of(), RelativePosition.of(left, overlapping));

    GenEvalPrompt two = GenEvalMetadata.official().stream()
        .filter(p -> p.prompt().equals("a photo of two clocks")).findFirst().orElseThrow();
    Detection c1 = new Detection("clock", 0.95f, 0, 0, 5, 5, null);
    Detection c2 = new Detection("clock", 0.91f, 10, 0, 15, 5, null);
    Detection weak = new Detection("clock", 0.9f, 20, 0, 25, 5, null);  // not above 0.9
    Detection c3 = new Detection("clock", 0.92f, 20, 0, 25, 5, null);
    assertTrue(GenEvalScorer.evaluate(two, List.of(c1, c2, weak)).correct());
    assertEquals(false, GenEvalScorer.evaluate(two, List.of(c1, c2, c3)).correct(), "three clocks hit the exclude clause");
  }

  @Test
  void layoutIsWhatTheOfficialEvaluatorReads(@TempDir Path dir) throws IOException {
    GenEvalPrompt prompt = GenEvalMetadata.official().get(42);
    GenEvalLayout.writePrompt(dir, prompt);
    Path png = GenEvalLayout.writeSample(dir, prompt, 3, new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB));
    assertEquals(dir.resolve("00042/samples/0003.png"), png);
    assertTrue(png.getFileName().toString().matches("\\d+\\.png"), "evaluate_images.py's sample-name pattern");
    assertEquals(prompt.metadata(), new ObjectMapper().readTree(dir.resolve("00042/metadata.jsonl").toFile()));
    assertEquals(4, ImageIO.read(png.toFile()).getWidth());
  }

  @Test
  void badDetectionsNameTheLine(@TempDir Path dir) throws IOException {
    Path det = dir.resolve("det.jsonl");
    Files.writeString(det, "{\"index\": 0, \"detections\": []}\n{\"index\": 1, \"detections\": [{\"class\": \"unicorn\", "
        + "\"score\": 1, \"box\": [0, 0, 1, 1]}]}\n");
    EvalInputException e = assertThrows(EvalInputException.class,
        () -> GenEvalEvaluation.scoreImages(GenEvalMetadata.official(), det));
    assertTrue(e.getMessage().contains("det.jsonl:2: \"unicorn\""), e.getMessage());
  }
}
