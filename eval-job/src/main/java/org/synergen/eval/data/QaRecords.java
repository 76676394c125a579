package org.synergen.eval.data;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Predictions and ground truth of a QA benchmark, keyed by question id in file order. */
public final class QaRecords {
  private QaRecords() {}

  /** {"question_id": ..., "answer": "..."} */
  public record Prediction(String questionId, String answer, long line) {}

  /** {"question_id": ..., "answers": ["...", ...], other fields kept for breakdowns} */
  public record GroundTruth(String questionId, List<String> answers, JsonNode fields, Path file, long line) {
    /** A string field the task needs, or an error naming this line. */
    public String requiredText(String field) {
      return new JsonLines.Line(file, line, fields).text(field);
    }
  }

  public static Map<String, Prediction> predictions(Path file) {
    Map<String, Prediction> out = new LinkedHashMap<>();
    for (JsonLines.Line l : JsonLines.read(file)) {
      String id = l.questionId();
      Prediction previous = out.put(id, new Prediction(id, l.text("answer"), l.number()));
      if (previous != null) {
        throw l.error("question_id " + id + " was already answered on line " + previous.line()
            + "; keep one answer per question");
      }
    }
    return out;
  }

  public static Map<String, GroundTruth> groundTruth(Path file) {
    Map<String, GroundTruth> out = new LinkedHashMap<>();
    for (JsonLines.Line l : JsonLines.read(file)) {
      String id = l.questionId();
      GroundTruth previous = out.put(id, new GroundTruth(id, l.texts("answers"), l.json(), file, l.number()));
      if (previous != null) {
        throw l.error("question_id " + id + " also appears on line " + previous.line()
            + "; question ids must be unique");
      }
    }
    return out;
  }
}
