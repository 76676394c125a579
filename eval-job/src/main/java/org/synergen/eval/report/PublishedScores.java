package org.synergen.eval.report;

import java.util.List;
import java.util.Locale;

/**
 * The paper's published numbers for SynerGen-VL (2.4B activated parameters; Li et al., arXiv
 * 2412.09604, the image generation and image understanding tables), on the scales `eval score`
 * reports: GenEval as a 0-1 fraction, FID as is, the QA benchmarks in percent, MME as perception +
 * cognition, OCRBench out of 1000.
 */
public final class PublishedScores {
  /** One published number; {@code task} is the `eval run` task that measures it (null: not built). */
  public record Entry(String benchmark, String task, String referenceKey, String metric, double value, boolean lowerIsBetter) {
    /** Whether a run of {@code task} against the reference set {@code referenceName} measures this number. */
    public boolean matches(String runTask, String referenceName) {
      if (task == null || !task.equals(runTask)) {
        return false;
      }
      return referenceKey == null || (referenceName != null && key(referenceName).contains(referenceKey));
    }
  }

  public static final String MODEL = "SynerGen-VL (2.4B activated), arXiv 2412.09604";

  public static final List<Entry> SYNERGEN_VL = List.of(
      new Entry("GenEval", "geneval", null, "overall (0-1)", 0.61, false),
      new Entry("FID MSCOCO-30K", "fid", "coco", "FID", 7.65, true),
      new Entry("FID MJHQ-30K", "fid", "mjhq", "FID", 6.10, true),
      new Entry("TextVQA", "textvqa", null, "VQA accuracy (%)", 67.5, false),
      new Entry("DocVQA", "docvqa", null, "ANLS (%)", 76.6, false),
      new Entry("ChartQA", "chartqa", null, "relaxed accuracy (%)", 73.4, false),
      new Entry("InfoVQA", "infovqa", null, "ANLS (%)", 37.5, false),
      new Entry("GQA", "gqa", null, "accuracy (%)", 59.7, false),
      new Entry("OCRBench", null, null, "score (of 1000)", 721, false),
      new Entry("MME", "mme", null, "perception + cognition", 1837, false),
      new Entry("POPE", "pope", null, "mean F1 (%)", 85.3, false));

  private PublishedScores() {}

  static String key(String name) {
    return name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
  }
}
