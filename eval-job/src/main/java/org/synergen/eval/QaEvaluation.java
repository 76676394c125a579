package org.synergen.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.synergen.eval.anls.Anls;
import org.synergen.eval.chartqa.RelaxedAccuracy;
import org.synergen.eval.data.EvalInputException;
import org.synergen.eval.data.QaRecords.GroundTruth;
import org.synergen.eval.data.QaRecords.Prediction;
import org.synergen.eval.exact.ExactMatch;
import org.synergen.eval.mme.Mme;
import org.synergen.eval.pope.Pope;
import org.synergen.eval.report.Reports;
import org.synergen.eval.vqa.VqaAccuracy;
import org.synergen.eval.vqa.VqaNormalization;

/** Scores a QA benchmark's predictions against its ground truth and builds the report. */
public final class QaEvaluation {
  private QaEvaluation() {}

  /** Script variants; null picks the task's default. */
  public record Options(VqaNormalization vqaNormalization, Anls.Variant anls, RelaxedAccuracy.Variant relaxed) {
    public static Options defaults() {
      return new Options(null, null, null);
    }
  }

  /** One question's scoring function: prediction and accepted answers to a score in [0, 1]. */
  private interface QuestionScorer {
    double score(String prediction, List<String> answers);
  }

  public static ObjectNode score(QaTask task, Options options, Map<String, Prediction> predictions,
      Map<String, GroundTruth> groundTruth) {
    if (groundTruth.isEmpty()) {
      throw new EvalInputException("the ground-truth file has no questions");
    }
    List<String> unknown = new ArrayList<>();
    for (String id : predictions.keySet()) {
      if (!groundTruth.containsKey(id)) {
        unknown.add(id);
      }
    }
    List<String> missing = new ArrayList<>();
    for (String id : groundTruth.keySet()) {
      if (!predictions.containsKey(id)) {
        missing.add(id);
      }
    }
    ObjectNode report = Reports.object();
    report.put("task", task.cliName());
    switch (task.metric()) {
      case POPE -> pope(report, predictions, groundTruth, missing);
      case MME -> mme(report, predictions, groundTruth, missing);
      default -> perQuestion(report, task, options, predictions, groundTruth);
    }
    report.set("missing_predictions", Reports.idList(missing));
    report.set("unknown_question_ids", Reports.idList(unknown));
    return report;
  }

  private static void perQuestion(ObjectNode report, QaTask task, Options o,
      Map<String, Prediction> predictions, Map<String, GroundTruth> groundTruth) {
    QuestionScorer scorer;
    String variant;
    boolean tenAnswers = false;
    switch (task.metric()) {
      case VQA_ACCURACY -> {
        VqaNormalization n = o.vqaNormalization() != null ? o.vqaNormalization()
            : task == QaTask.TEXTVQA ? VqaNormalization.EVALAI : VqaNormalization.OFFICIAL;
        scorer = new VqaAccuracy(n)::score;
        variant = n.name().toLowerCase();
        // EvalAI's evaluator asserts exactly 10 human answers.
        tenAnswers = n == VqaNormalization.EVALAI;
      }
      case ANLS -> {
        Anls.Variant v = o.anls() != null ? o.anls() : Anls.Variant.RRC;
        scorer = new Anls(v)::score;
        variant = v.name().toLowerCase();
      }
      case RELAXED_ACCURACY -> {
        RelaxedAccuracy.Variant v = o.relaxed() != null ? o.relaxed() : RelaxedAccuracy.Variant.PIX2STRUCT;
        scorer = new RelaxedAccuracy(v)::score;
        variant = v.name().toLowerCase();
      }
      case EXACT_MATCH -> {
        ExactMatch.Variant v = task == QaTask.GQA ? ExactMatch.Variant.GQA : ExactMatch.Variant.STRIP_LOWER;
        scorer = new ExactMatch(v)::score;
        variant = v.name().toLowerCase();
      }
      default -> throw new IllegalStateException(task.metric().name());
    }
    report.put("metric", task.metric().name().toLowerCase());
    report.put("variant", variant);
    report.put("scale", "percent");

    double total = 0;
    Map<String, Map<String, double[]>> breakdown = new LinkedHashMap<>();
    for (GroundTruth gt : groundTruth.values()) {
      if (tenAnswers && gt.answers().size() != 10) {
        throw new EvalInputException(gt.file(), gt.line(), "the evalai VQA normalisation needs exactly 10 human "
            + "answers, found " + gt.answers().size() + "; use --vqa-normalization official for other counts");
      }
      Prediction p = predictions.get(gt.questionId());
      // A question without a prediction scores 0 and is listed under missing_predictions.
      double s = p == null ? 0.0 : scorer.score(p.answer(), gt.answers());
      total += s;
      for (String field : QaEvaluationFields.present(gt, task.breakdownFields())) {
        for (String value : QaEvaluationFields.values(gt, field)) {
          double[] acc = breakdown.computeIfAbsent(field, k -> new LinkedHashMap<>())
              .computeIfAbsent(value, k -> new double[2]);
          acc[0] += s;
          acc[1] += 1;
        }
      }
    }
    Reports.put(report, "overall", 100.0 * total / groundTruth.size());
    report.put("questions", groundTruth.size());
    ObjectNode bd = report.putObject("breakdown");
    breakdown.forEach((field, values) -> {
      ObjectNode f = bd.putObject(field);
      values.forEach((value, acc) -> {
        ObjectNode v = f.putObject(value);
        Reports.put(v, "score", 100.0 * acc[0] / acc[1]);
        v.put("questions", (long) acc[1]);
      });
    });
  }

  private static void requireAll(List<String> missing, String what) {
    if (!missing.isEmpty()) {
      throw new EvalInputException(missing.size() + " questions have no prediction (first: "
          + String.join(", ", missing.subList(0, Math.min(5, missing.size()))) + "); " + what
          + " needs an answer for every question");
    }
  }

  private static void pope(ObjectNode report, Map<String, Prediction> predictions,
      Map<String, GroundTruth> groundTruth, List<String> missing) {
    requireAll(missing, "POPE");
    Map<String, Pope.Counts> byCategory = new LinkedHashMap<>();
    for (GroundTruth gt : groundTruth.values()) {
      String category = gt.requiredText("category");
      boolean yes = Pope.saysYes(predictions.get(gt.questionId()).answer());
      byCategory.merge(category, new Pope.Counts(0, 0, 0, 0).add(yes, Pope.labelIsYes(gt.answers().get(0))),
          (a, b) -> new Pope.Counts(a.tp() + b.tp(), a.fp() + b.fp(), a.tn() + b.tn(), a.fn() + b.fn()));
    }
    report.put("metric", "pope");
    report.put("variant", "llava");
    report.put("scale", "percent");
    double f1Sum = 0;
    double accSum = 0;
    ObjectNode cats = Reports.object();
    for (Map.Entry<String, Pope.Counts> e : byCategory.entrySet()) {
      Pope.Counts c = e.getValue();
      ObjectNode n = cats.putObject(e.getKey());
      Reports.put(n, "accuracy", 100 * c.accuracy());
      Reports.put(n, "precision", 100 * c.precision());
      Reports.put(n, "recall", 100 * c.recall());
      Reports.put(n, "f1", 100 * c.f1());
      Reports.put(n, "yes_ratio", 100 * c.yesRatio());
      n.put("tp", c.tp()).put("fp", c.fp()).put("tn", c.tn()).put("fn", c.fn());
      f1Sum += c.f1();
      accSum += c.accuracy();
    }
    // InternVL's headline: the mean F1 over the categories.
    Reports.put(report, "overall", f1Sum / byCategory.size() * 100);
    report.put("overall_is", "mean F1 over categories");
    Reports.put(report, "mean_accuracy", 100 * accSum / byCategory.size());
    report.put("questions", groundTruth.size());
    report.set("breakdown", Reports.object().set("category", cats));
  }

  private static void mme(ObjectNode report, Map<String, Prediction> predictions,
      Map<String, GroundTruth> groundTruth, List<String> missing) {
    requireAll(missing, "MME");
    // sub-task -> image -> the GT lines of its questions, in file order
    Map<String, Map<String, List<GroundTruth>>> images = new LinkedHashMap<>();
    for (GroundTruth gt : groundTruth.values()) {
      String category = gt.requiredText("category");
      if (!Mme.PERCEPTION.contains(category) && !Mme.COGNITION.contains(category)) {
        throw new EvalInputException(gt.file(), gt.line(), "unknown MME sub-task \"" + category
            + "\"; expected one of " + Mme.PERCEPTION + " or " + Mme.COGNITION);
      }
      String label = gt.answers().get(0).toLowerCase(java.util.Locale.ROOT);
      if (!label.equals("yes") && !label.equals("no")) {
        throw new EvalInputException(gt.file(), gt.line(), "MME answers are \"yes\" or \"no\", found \""
            + gt.answers().get(0) + "\"");
      }
      images.computeIfAbsent(category, k -> new LinkedHashMap<>())
          .computeIfAbsent(gt.requiredText("image"), k -> new ArrayList<>()).add(gt);
    }
    ObjectNode subtasks = Reports.object();
    double perception = 0;
    double cognition = 0;
    List<String> absent = new ArrayList<>();
    for (String name : concat(Mme.PERCEPTION, Mme.COGNITION)) {
      Map<String, List<GroundTruth>> byImage = images.get(name);
      if (byImage == null) {
        absent.add(name);
        continue;
      }
      int questions = 0;
      int correct = 0;
      int both = 0;
      int other = 0;
      for (List<GroundTruth> pair : byImage.values()) {
        if (pair.size() != 2) {
          GroundTruth first = pair.get(0);
          throw new EvalInputException(first.file(), first.line(), "MME pairs two questions per image; image \""
              + first.requiredText("image") + "\" of " + name + " has " + pair.size());
        }
        int right = 0;
        for (GroundTruth gt : pair) {
          String parsed = Mme.parse(predictions.get(gt.questionId()).answer());
          questions++;
          other += parsed.equals("other") ? 1 : 0;
          if (parsed.equals(gt.answers().get(0).toLowerCase(java.util.Locale.ROOT))) {
            right++;
          }
        }
        correct += right;
        both += right == 2 ? 1 : 0;
      }
      Mme.SubTask t = new Mme.SubTask(questions, correct, byImage.size(), both, other);
      ObjectNode n = subtasks.putObject(name);
      Reports.put(n, "score", t.score());
      Reports.put(n, "acc", 100 * t.acc());
      Reports.put(n, "acc_plus", 100 * t.accPlus());
      n.put("questions", questions).put("other_answers", other);
      if (Mme.PERCEPTION.contains(name)) {
        perception += t.score();
      } else {
        cognition += t.score();
      }
    }
    report.put("metric", "mme");
    report.put("variant", "mme_calculation");
    report.put("scale", "sum of acc + acc+ in percent per sub-task");
    Reports.put(report, "overall", perception + cognition);
    report.put("overall_is", "perception + cognition");
    Reports.put(report, "perception", perception);
    Reports.put(report, "cognition", cognition);
    report.put("questions", groundTruth.size());
    report.set("missing_subtasks", Reports.MAPPER.valueToTree(absent));
    report.set("breakdown", Reports.object().set("subtask", subtasks));
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  /** Reads breakdown categories from ground-truth lines. */
  private static final class QaEvaluationFields {
    static List<String> present(GroundTruth gt, List<String> fields) {
      List<String> out = new ArrayList<>();
      for (String f : fields) {
        if (gt.fields().hasNonNull(f)) {
          out.add(f);
        }
      }
      return out;
    }

    static List<String> values(GroundTruth gt, String field) {
      JsonNode v = gt.fields().get(field);
      List<String> out = new ArrayList<>();
      if (v.isArray()) {
        v.forEach(item -> out.add(item.asText()));
      } else {
        out.add(v.asText());
      }
      return out;
    }
  }
}
