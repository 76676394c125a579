package org.synergen.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.synergen.eval.data.EvalInputException;
import org.synergen.eval.data.QaRecords.GroundTruth;
import org.synergen.eval.data.QaRecords.Prediction;
import org.synergen.eval.report.Reports;

/** Aggregation into reports: POPE and MME against the official scripts, breakdowns by hand. */
class QaEvaluationTest {
  private static final JsonNode REF = ReferenceFixtures.load("qa_reference.json");
  private static final Path GT = Path.of("gt.jsonl");

  private static GroundTruth gt(String id, List<String> answers, ObjectNode fields, long line) {
    return new GroundTruth(id, answers, fields, GT, line);
  }

  @Test
  void popeMatchesLlavaPerCategoryAndInternVlMeanF1() {
    Map<String, Prediction> preds = new LinkedHashMap<>();
    Map<String, GroundTruth> gts = new LinkedHashMap<>();
    long line = 0;
    for (JsonNode item : REF.get("pope").get("items")) {
      String id = item.get("question_id").asText();
      preds.put(id, new Prediction(id, item.get("answer").asText(), ++line));
      gts.put(id, gt(id, List.of(item.get("label").asText()),
          Reports.object().put("category", item.get("category").asText()), line));
    }
    ObjectNode report = QaEvaluation.score(QaTask.POPE, QaEvaluation.Options.defaults(), preds, gts);
    assertEquals(100 * REF.get("pope").get("mean_f1").asDouble(), report.get("overall").asDouble(), 1e-12);
    REF.get("pope").get("per_category").fields().forEachRemaining(e -> {
      JsonNode ours = report.get("breakdown").get("category").get(e.getKey());
      JsonNode theirs = e.getValue();
      assertEquals(100 * theirs.get("Accuracy").asDouble(), ours.get("accuracy").asDouble(), 1e-12);
      assertEquals(100 * theirs.get("Precision").asDouble(), ours.get("precision").asDouble(), 1e-12);
      assertEquals(100 * theirs.get("Recall").asDouble(), ours.get("recall").asDouble(), 1e-12);
      assertEquals(100 * theirs.get("F1 score").asDouble(), ours.get("f1").asDouble(), 1e-12);
      assertEquals(100 * theirs.get("Yes ratio").asDouble(), ours.get("yes_ratio").asDouble(), 1e-12);
    });
  }

  @Test
  void mmeMatchesCalculationPy() {
    Map<String, Prediction> preds = new LinkedHashMap<>();
    Map<String, GroundTruth> gts = new LinkedHashMap<>();
    long line = 0;
    for (JsonNode item : REF.get("mme").get("items")) {
      String id = item.get("question_id").asText();
      preds.put(id, new Prediction(id, item.get("answer").asText(), ++line));
      gts.put(id, gt(id, List.of(item.get("label").asText()), Reports.object()
          .put("category", item.get("category").asText()).put("image", item.get("image").asText()), line));
    }
    ObjectNode report = QaEvaluation.score(QaTask.MME, QaEvaluation.Options.defaults(), preds, gts);
    JsonNode ref = REF.get("mme");
    assertEquals(ref.get("perception").asDouble(), report.get("perception").asDouble(), 1e-9);
    assertEquals(ref.get("cognition").asDouble(), report.get("cognition").asDouble(), 1e-9);
    assertEquals(ref.get("perception").asDouble() + ref.get("cognition").asDouble(),
        report.get("overall").asDouble(), 1e-9);
    ref.get("subtasks").fields().forEachRemaining(e -> assertEquals(e.getValue().asDouble(),
        report.get("breakdown").get("subtask").get(e.getKey()).get("score").asDouble(), 1e-9, e.getKey()));
  }

  @Test
  void breakdownMissingAndUnknownIds() {
    Map<String, GroundTruth> gts = new LinkedHashMap<>();
    gts.put("1", gt("1", List.of("a"), Reports.object().put("answer_type", "yes/no"), 1));
    gts.put("2", gt("2", List.of("b"), Reports.object().put("answer_type", "other"), 2));
    gts.put("3", gt("3", List.of("c"), Reports.object().put("answer_type", "other"), 3));
    Map<String, Prediction> preds = new LinkedHashMap<>();
    preds.put("1", new Prediction("1", "a", 1));
    preds.put("2", new Prediction("2", "b", 2));
    preds.put("99", new Prediction("99", "x", 3));
    ObjectNode r = QaEvaluation.score(QaTask.AI2D, QaEvaluation.Options.defaults(), preds, gts);
    // ai2d has no breakdown fields; the question without a prediction scores 0
    assertEquals(200.0 / 3, r.get("overall").asDouble(), 1e-12);
    assertEquals(1, r.get("missing_predictions").get("count").asInt());
    assertEquals("3", r.get("missing_predictions").get("question_ids").get(0).asText());
    assertEquals("99", r.get("unknown_question_ids").get("question_ids").get(0).asText());

    // VQA accuracy leaves one human answer out, so four agreeing answers are needed for 100
    gts.replaceAll((id, g) -> gt(id, java.util.Collections.nCopies(4, g.answers().get(0)), (ObjectNode) g.fields(), g.line()));
    ObjectNode v = QaEvaluation.score(QaTask.VQAV2, QaEvaluation.Options.defaults(), preds, gts);
    assertEquals(100.0, v.get("breakdown").get("answer_type").get("yes/no").get("score").asDouble());
    assertEquals(50.0, v.get("breakdown").get("answer_type").get("other").get("score").asDouble());
    assertEquals("official", v.get("variant").asText());
  }

  @Test
  void evalAiNeedsTenAnswersAndSaysWhere() {
    Map<String, GroundTruth> gts = Map.of("1", gt("1", List.of("a", "b"), Reports.object(), 7));
    Map<String, Prediction> preds = Map.of("1", new Prediction("1", "a", 1));
    EvalInputException e = assertThrows(EvalInputException.class,
        () -> QaEvaluation.score(QaTask.TEXTVQA, QaEvaluation.Options.defaults(), preds, gts));
    assertTrue(e.getMessage().startsWith("gt.jsonl:7: "), e.getMessage());
  }
}
