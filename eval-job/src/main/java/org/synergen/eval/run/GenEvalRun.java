package org.synergen.eval.run;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.synergen.eval.geneval.GenEvalEvaluation;
import org.synergen.eval.geneval.GenEvalLayout;
import org.synergen.eval.geneval.GenEvalPrompt;

/**
 * GenEval: N images per prompt into GenEval's folder layout under RUN_DIR/images, where the
 * official detector (evaluate_images.py) reads them; its detections, given back with
 * {@code --detections}, are scored by GenEval's rules.
 */
final class GenEvalRun {
  /** The prompts this run drew, in evaluation_metadata.jsonl's form, for `eval score --metadata`. */
  static final String METADATA = "evaluation_metadata.jsonl";

  private GenEvalRun() {}

  private static void writeMetadata(Path file, List<GenEvalPrompt> prompts) {
    StringBuilder b = new StringBuilder();
    try {
      for (GenEvalPrompt p : prompts) {
        b.append(org.synergen.eval.report.Reports.MAPPER.writer()
            .without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT).writeValueAsString(p.metadata()))
            .append('\n');
      }
      java.nio.file.Files.createDirectories(file.getParent());
      java.nio.file.Files.writeString(file, b);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("writing " + file, e);
    }
  }

  /** Draws and lays out the images; returns the score when detections are given, else null. */
  static ObjectNode run(List<GenEvalPrompt> prompts, int perPrompt, int size, long seed, PromptRunner runner,
      Path runDir, Path detections, PrintStream log) {
    Path root = runDir.resolve(RunFiles.IMAGES);
    List<Drawing.Job> jobs = new ArrayList<>();
    List<Drawing.Sample> samples = new ArrayList<>();
    for (GenEvalPrompt p : prompts) {
      GenEvalLayout.writePrompt(root, p);
      for (int s = 0; s < perPrompt; s++) {
        long imageSeed = Drawing.seed(seed, p.index(), s);
        jobs.add(new Drawing.Job(p.prompt(), size, imageSeed));
        samples.add(new Drawing.Sample(runDir.relativize(GenEvalLayout.samplePath(root, p.index(), s)).toString(),
            p.prompt(), p.index(), s, imageSeed));
      }
    }
    writeMetadata(runDir.resolve(METADATA), prompts);
    log.printf("eval run geneval: %d prompts x %d images of %d px into %s%n", prompts.size(), perPrompt, size, root);
    Drawing.write(runDir, samples, Drawing.draw(jobs, runner, "eval run geneval", log));
    if (detections == null) {
      log.println("eval run geneval: images written. Run GenEval's detector on them (python evaluation/"
          + "evaluate_images.py " + root + " ...), write its detections as DET.jsonl, then score them into this "
          + "run with `eval score --task geneval --detections DET.jsonl --out " + runDir.resolve(RunFiles.SCORE)
          + " --metadata " + runDir.resolve(METADATA) + "`");
      return null;
    }
    ObjectNode report = GenEvalEvaluation.report(prompts, GenEvalEvaluation.scoreImages(prompts, detections));
    report.putObject("inputs").put("detections", detections.toString()).put("images", root.toString());
    return report;
  }
}
