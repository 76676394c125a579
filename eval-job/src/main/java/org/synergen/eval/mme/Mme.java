package org.synergen.eval.mme;

import java.util.List;
import org.synergen.eval.text.PyStr;

/**
 * MME as its calculation.py scores it: per sub-task, acc (per question) and acc+ (images whose
 * two questions are both right), each in percent, summed into the sub-task score; the perception
 * and cognition scores are the sums over their sub-tasks.
 */
public final class Mme {
  private Mme() {}

  public static final List<String> PERCEPTION = List.of("existence", "count", "position", "color",
      "posters", "celebrity", "scene", "landmark", "artwork", "OCR");
  public static final List<String> COGNITION = List.of("commonsense_reasoning",
      "numerical_calculation", "text_translation", "code_reasoning");

  /** parse_pred_ans on the lower-cased answer: "yes", "no", or "other". */
  public static String parse(String answer) {
    String a = PyStr.lower(answer);
    if (a.equals("yes") || a.equals("no")) {
      return a;
    }
    // Only the first four characters are looked at, "yes" before "no" ("not sure" is "no").
    String head = PyStr.prefix(a, 4);
    if (head.contains("yes")) {
      return "yes";
    }
    return head.contains("no") ? "no" : "other";
  }

  /** One sub-task's tallies. */
  public record SubTask(int questions, int correct, int images, int imagesBothCorrect, int other) {
    public double acc() {
      return (double) correct / questions;
    }

    public double accPlus() {
      return (double) imagesBothCorrect / images;
    }

    /** acc*100 + acc_plus*100, added in that order as the script does. */
    public double score() {
      double s = 0;
      s += acc() * 100;
      s += accPlus() * 100;
      return s;
    }
  }
}
