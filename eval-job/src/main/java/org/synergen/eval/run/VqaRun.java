package org.synergen.eval.run;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.image.BufferedImage;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.synergen.eval.QaEvaluation;
import org.synergen.eval.data.QaRecords;
import org.synergen.eval.report.Reports;

/**
 * A QA benchmark run: every question through the model, the answers written as `eval score`'s
 * predictions file beside the ground truth in its format, then scored by reading those two files
 * back through the same code `eval score` runs, so the scores are those `eval score` gives.
 */
final class VqaRun {
  /** What one question sends to the model. */
  record Question(String questionId, String prompt, List<ImageRef> images) implements Serializable {}

  private VqaRun() {}

  /** The question followed by the benchmark's instruction, joined by a space as InternVL's scripts do. */
  static String prompt(String question, String suffix) {
    return suffix == null || suffix.isEmpty() ? question : question + " " + suffix;
  }

  static ObjectNode run(VqaBenchmark benchmark, List<VqaItem> items, PromptRunner runner, String suffix,
      int maxNewTokens, Path runDir, PrintStream log) {
    List<Question> questions = new ArrayList<>(items.size());
    for (VqaItem item : items) {
      questions.add(new Question(item.questionId(), prompt(item.question(), suffix), item.images()));
    }
    log.printf("eval run %s: %d questions%n", benchmark.cliName(), questions.size());
    List<String> answers = runner.map(questions, (generator, q) -> {
      List<BufferedImage> images = new ArrayList<>();
      for (ImageRef ref : q.images()) {
        images.add(ref.decode());
      }
      return generator.answer(images, q.prompt(), maxNewTokens);
    }, new Progress("eval run " + benchmark.cliName(), "questions", questions.size(), log));
    Path pred = runDir.resolve(RunFiles.PREDICTIONS);
    Path gt = runDir.resolve(RunFiles.GROUND_TRUTH);
    try (BufferedWriter p = Files.newBufferedWriter(pred, StandardCharsets.UTF_8);
        BufferedWriter g = Files.newBufferedWriter(gt, StandardCharsets.UTF_8)) {
      for (int i = 0; i < items.size(); i++) {
        VqaItem item = items.get(i);
        p.write(line(Reports.object().put("question_id", item.questionId()).put("answer", answers.get(i))));
        ObjectNode truth = Reports.object().put("question_id", item.questionId());
        item.answers().forEach(truth.putArray("answers")::add);
        truth.setAll(item.fields());
        g.write(line(truth));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("writing " + runDir, e);
    }
    ObjectNode report = QaEvaluation.score(benchmark.task(), QaEvaluation.Options.defaults(),
        QaRecords.predictions(pred), QaRecords.groundTruth(gt));
    report.putObject("inputs").put("pred", pred.toString()).put("gt", gt.toString());
    return report;
  }

  private static String line(ObjectNode node) throws IOException {
    return Reports.MAPPER.writer().without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT)
        .writeValueAsString(node) + "\n";
  }
}
