package org.synergen.eval.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the report shows, independent of HTML or Markdown: the headline table (every benchmark the
 * paper publishes, this run's number beside it), each run's breakdown and sample answers, and the
 * generated images with their prompts.
 */
record ReportContent(String title, List<Table> tables, List<Gallery> galleries) {
  /** A titled table of text cells. */
  record Table(String title, List<String> header, List<List<String>> rows, String note) {}

  /** Generated images of one run. */
  record Gallery(String title, List<RunResult.Image> images, int total) {}

  static ReportContent of(List<RunResult> runs, int maxImages) {
    List<Table> tables = new ArrayList<>();
    tables.add(headline(runs));
    tables.add(inputs(runs));
    for (RunResult r : runs) {
      if (r.score() != null && r.score().has("breakdown")) {
        tables.addAll(breakdown(r));
      }
      if (!r.examples().isEmpty()) {
        List<List<String>> rows = new ArrayList<>();
        r.examples().forEach(e -> rows.add(List.of(e.questionId(), e.answer(), e.truth())));
        tables.add(new Table(r.task() + ": first answers", List.of("question", "model's answer", "accepted answers"),
            rows, "from " + r.dir()));
      }
    }
    List<Gallery> galleries = new ArrayList<>();
    for (RunResult r : runs) {
      if (!r.images().isEmpty()) {
        galleries.add(new Gallery(r.task() + " (" + r.dir().getFileName() + ")",
            r.images().subList(0, Math.min(maxImages, r.images().size())), r.images().size()));
      }
    }
    return new ReportContent("SynerGen-VL benchmark report", tables, galleries);
  }

  private static Table headline(List<RunResult> runs) {
    List<List<String>> rows = new ArrayList<>();
    List<RunResult> unmatched = new ArrayList<>(runs);
    for (PublishedScores.Entry e : PublishedScores.SYNERGEN_VL) {
      List<RunResult> mine = runs.stream().filter(r -> e.matches(r.task(), r.referenceName())).toList();
      unmatched.removeAll(mine);
      if (mine.isEmpty()) {
        rows.add(List.of(e.benchmark(), e.metric(), e.task() == null ? "not built" : "not run", number(e.task(), e.value()),
            "", ""));
      }
      for (RunResult r : mine) {
        rows.add(List.of(e.benchmark(), e.metric(), ours(r), number(e.task(), e.value()), difference(r, e.value()), size(r)));
      }
    }
    for (RunResult r : unmatched) {
      String name = r.task().equals("fid") ? "FID " + r.referenceName() : r.task();
      rows.add(List.of(name, r.score() == null ? "" : r.score().path("metric").asText(), ours(r), "not published", "",
          size(r)));
    }
    return new Table("Scores beside the paper", List.of("benchmark", "metric", "this run", PublishedScores.MODEL,
        "this run - paper", "run size"), rows,
        "FID: lower is better. Runs on fewer questions or images than the full benchmark are not comparable "
            + "with the paper's numbers; FID in particular grows as the image count falls.");
  }

  /** What each run ran on, so a number can be traced to its checkpoint and data. */
  private static Table inputs(List<RunResult> runs) {
    List<List<String>> rows = new ArrayList<>();
    for (RunResult r : runs) {
      rows.add(List.of(r.task(), r.run().path("checkpoint").asText(), r.run().path("data").asText(), size(r),
          String.format(Locale.ROOT, "%.1f", r.run().path("seconds").asDouble()), r.dir().toString()));
    }
    return new Table("Runs", List.of("task", "checkpoint", "data", "size", "seconds", "folder"), rows, null);
  }

  private static String ours(RunResult r) {
    if (r.score() == null) {
      return "not scored yet";
    }
    JsonNode overall = r.score().get("overall");
    return overall == null || overall.isNull() ? "undefined" : number(r.task(), overall.asDouble());
  }

  private static String difference(RunResult r, double paper) {
    if (r.score() == null || !r.score().path("overall").isNumber()) {
      return "";
    }
    double d = r.score().get("overall").asDouble() - paper;
    return (d >= 0 ? "+" : "") + number(r.task(), d);
  }

  private static String size(RunResult r) {
    String unit = r.task().equals("geneval") || r.task().equals("fid") ? " images" : " questions";
    return r.run().path("count").asInt() + unit;
  }

  /** GenEval is a fraction, everything else is published with one or two decimals. */
  static String number(String task, double v) {
    return String.format(Locale.ROOT, "geneval".equals(task) ? "%.3f" : "%.2f", v);
  }

  private static List<Table> breakdown(RunResult r) {
    List<Table> out = new ArrayList<>();
    Iterator<Map.Entry<String, JsonNode>> fields = r.score().get("breakdown").fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      List<String> header = new ArrayList<>(List.of(field.getKey()));
      List<List<String>> rows = new ArrayList<>();
      Iterator<Map.Entry<String, JsonNode>> values = field.getValue().fields();
      while (values.hasNext()) {
        Map.Entry<String, JsonNode> value = values.next();
        if (header.size() == 1) {
          value.getValue().fieldNames().forEachRemaining(header::add);
        }
        List<String> row = new ArrayList<>(List.of(value.getKey()));
        for (String h : header.subList(1, header.size())) {
          JsonNode v = value.getValue().get(h);
          row.add(v == null || v.isNull() ? "" : v.isIntegralNumber() ? v.asText() : v.isNumber()
              ? number(r.task(), v.asDouble()) : v.asText());
        }
        rows.add(row);
      }
      out.add(new Table(r.task() + " by " + field.getKey(), header, rows, "from " + r.dir()));
    }
    return out;
  }
}
