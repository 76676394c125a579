package org.synergen.eval;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The question-answering benchmarks `eval score` knows: which metric each uses, and which
 * ground-truth fields (string or list of strings) give the per-category breakdown it publishes.
 */
public enum QaTask {
  VQAV2(Metric.VQA_ACCURACY, "answer_type", "question_type"),
  TEXTVQA(Metric.VQA_ACCURACY),
  DOCVQA(Metric.ANLS, "question_types"),
  INFOVQA(Metric.ANLS, "answer_type", "evidence", "operation/reasoning"),
  CHARTQA(Metric.RELAXED_ACCURACY, "split"),
  GQA(Metric.EXACT_MATCH, "structural", "semantic"),
  SCIENCEQA(Metric.EXACT_MATCH, "subject"),
  AI2D(Metric.EXACT_MATCH),
  POPE(Metric.POPE, "category"),
  MME(Metric.MME, "category");

  /** How a task turns answers into its headline number. */
  public enum Metric { VQA_ACCURACY, ANLS, RELAXED_ACCURACY, EXACT_MATCH, POPE, MME }

  private final Metric metric;
  private final List<String> breakdownFields;

  QaTask(Metric metric, String... breakdownFields) {
    this.metric = metric;
    this.breakdownFields = List.of(breakdownFields);
  }

  public Metric metric() {
    return metric;
  }

  public List<String> breakdownFields() {
    return breakdownFields;
  }

  /** The name used on the command line. */
  public String cliName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static String cliNames() {
    return Arrays.stream(values()).map(QaTask::cliName).collect(Collectors.joining(", "));
  }
}
