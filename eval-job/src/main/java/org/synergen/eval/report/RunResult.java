package org.synergen.eval.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.synergen.eval.data.EvalInputException;
import org.synergen.eval.data.JsonLines;
import org.synergen.eval.run.RunFiles;

/**
 * One `eval run` folder read back: what ran, its score (null until scored: GenEval before its
 * detections), its generated images and, for QA runs, the first few answers beside the truth.
 */
record RunResult(Path dir, JsonNode run, JsonNode score, List<Image> images, List<Example> examples) {
  /** A generated image: its file and prompt. */
  record Image(Path file, String prompt, int index, int sample) {}

  /** One question, the model's answer and the accepted answers. */
  record Example(String questionId, String answer, String truth) {}

  String task() {
    return run.path("task").asText();
  }

  String referenceName() {
    return run.hasNonNull("reference_name") ? run.get("reference_name").asText() : null;
  }

  /** Each RUN_DIR is a run, or a folder whose sub-folders are runs. */
  static List<RunResult> find(List<Path> dirs, int examples) {
    List<RunResult> out = new ArrayList<>();
    for (Path dir : dirs) {
      if (RunFiles.isRun(dir)) {
        out.add(read(dir, examples));
        continue;
      }
      if (!Files.isDirectory(dir)) {
        throw new EvalInputException(dir, "no such folder");
      }
      try (Stream<Path> s = Files.list(dir)) {
        for (Path sub : s.filter(RunFiles::isRun).sorted().toList()) {
          out.add(read(sub, examples));
        }
      } catch (IOException e) {
        throw new java.io.UncheckedIOException("listing " + dir, e);
      }
    }
    if (out.isEmpty()) {
      throw new EvalInputException("no run found in " + dirs + ": a RUN_DIR is the --out folder of `eval run` "
          + "(it holds " + RunFiles.RUN + ") or a folder of such folders");
    }
    return out;
  }

  static RunResult read(Path dir, int examples) {
    JsonNode run = json(dir.resolve(RunFiles.RUN));
    Path scoreFile = dir.resolve(RunFiles.SCORE);
    JsonNode score = Files.isRegularFile(scoreFile) ? json(scoreFile) : null;
    List<Image> images = new ArrayList<>();
    Path samples = dir.resolve(RunFiles.SAMPLES);
    if (Files.isRegularFile(samples)) {
      for (JsonLines.Line l : JsonLines.read(samples)) {
        images.add(new Image(dir.resolve(l.text("file")), l.text("prompt"), l.json().path("index").asInt(),
            l.json().path("sample").asInt()));
      }
    }
    List<Example> shown = new ArrayList<>();
    Path pred = dir.resolve(RunFiles.PREDICTIONS);
    Path gt = dir.resolve(RunFiles.GROUND_TRUTH);
    if (Files.isRegularFile(pred) && Files.isRegularFile(gt)) {
      List<JsonLines.Line> p = JsonLines.read(pred);
      List<JsonLines.Line> g = JsonLines.read(gt);
      for (int i = 0; i < Math.min(examples, Math.min(p.size(), g.size())); i++) {
        shown.add(new Example(p.get(i).questionId(), p.get(i).text("answer"), String.join(" | ", g.get(i).texts("answers"))));
      }
    }
    return new RunResult(dir, run, score, images, shown);
  }

  private static JsonNode json(Path file) {
    try {
      return Reports.MAPPER.readTree(file.toFile());
    } catch (IOException e) {
      throw new EvalInputException(file, "not a readable JSON file (" + e.getMessage() + ")");
    }
  }
}
