package org.synergen.eval.run;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.synergen.eval.fid.FidReport;
import org.synergen.eval.fid.FolderStatistics;
import org.synergen.eval.fid.GaussianStats;
import org.synergen.eval.fid.NpzStats;
import org.synergen.eval.fid.inception.FidInceptionV3;
import org.synergen.eval.report.Reports;

/** FID: one image per caption into RUN_DIR/images, then the Frechet distance to a reference set. */
final class FidRun {
  private FidRun() {}

  /** @param reference a folder of images or pytorch-fid's .npz statistics of one */
  static ObjectNode run(List<String> prompts, int size, long seed, PromptRunner runner, Path runDir, Path reference,
      FidInceptionV3 network, int batchSize, PrintStream log) {
    List<Drawing.Job> jobs = new ArrayList<>();
    List<Drawing.Sample> samples = new ArrayList<>();
    for (int i = 0; i < prompts.size(); i++) {
      long imageSeed = Drawing.seed(seed, i, 0);
      jobs.add(new Drawing.Job(prompts.get(i), size, imageSeed));
      samples.add(new Drawing.Sample(RunFiles.IMAGES + "/" + String.format(Locale.ROOT, "%06d.png", i),
          prompts.get(i), i, 0, imageSeed));
    }
    log.printf("eval run fid: %d captions, one %d px image each%n", prompts.size(), size);
    Drawing.write(runDir, samples, Drawing.draw(jobs, runner, "eval run fid", log));
    Path generated = runDir.resolve(RunFiles.IMAGES);
    ObjectNode inputs = Reports.object();
    FolderStatistics.Result ours = FolderStatistics.of(generated, network, batchSize, log);
    inputs.put("images_a", generated.toString()).put("images_a_count", ours.images());
    GaussianStats theirs;
    if (Files.isDirectory(reference)) {
      FolderStatistics.Result r = FolderStatistics.of(reference, network, batchSize, log);
      inputs.put("images_b", reference.toString()).put("images_b_count", r.images());
      theirs = r.stats();
    } else {
      inputs.put("stats_b", reference.toString());
      theirs = NpzStats.read(reference);
    }
    inputs.put("resize", network.resize().name().toLowerCase(Locale.ROOT));
    return FidReport.of(ours.stats(), theirs, inputs, log);
  }
}
