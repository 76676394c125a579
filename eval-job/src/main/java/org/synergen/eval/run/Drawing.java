package org.synergen.eval.run;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.List;
import javax.imageio.ImageIO;

/** Images drawn for prompts, as PNG bytes (encoded where they were drawn, so executors return bytes). */
final class Drawing {
  /** One image to draw. */
  record Job(String prompt, int size, long seed) implements Serializable {}

  /** One drawn image as samples.jsonl lists it; file is relative to RUN_DIR. */
  record Sample(String file, String prompt, int index, int sample, long seed) {}

  private Drawing() {}

  /** Writes the PNG files and samples.jsonl, the list `eval report` shows. */
  static void write(java.nio.file.Path runDir, List<Sample> samples, List<byte[]> pngs) {
    StringBuilder lines = new StringBuilder();
    try {
      for (int i = 0; i < samples.size(); i++) {
        Sample s = samples.get(i);
        java.nio.file.Path file = runDir.resolve(s.file());
        java.nio.file.Files.createDirectories(file.getParent());
        java.nio.file.Files.write(file, pngs.get(i));
        lines.append(org.synergen.eval.report.Reports.MAPPER.writer()
            .without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT).writeValueAsString(s)).append('\n');
      }
      java.nio.file.Files.writeString(runDir.resolve(RunFiles.SAMPLES), lines);
    } catch (IOException e) {
      throw new UncheckedIOException("writing images into " + runDir, e);
    }
  }

  static List<byte[]> draw(List<Job> jobs, PromptRunner runner, String what, PrintStream log) {
    return runner.map(jobs, (generator, job) -> {
      BufferedImage image = generator.draw(job.prompt(), job.size(), job.seed());
      if (image.getWidth() != job.size() || image.getHeight() != job.size()) {
        throw new IllegalStateException("the model drew " + image.getWidth() + " x " + image.getHeight()
            + " for a " + job.size() + " x " + job.size() + " request");
      }
      return png(image);
    }, new Progress(what, "images", jobs.size(), log));
  }

  static byte[] png(BufferedImage image) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      if (!ImageIO.write(image, "png", out)) {
        throw new IOException("no PNG writer for image type " + image.getType());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /**
   * The seed of image {@code sample} of prompt {@code index}: SplitMix64's finaliser over the run's
   * seed and the two positions, so every image has its own seed, fixed by the run's, independent of
   * how many images per prompt or which executor draws it.
   */
  static long seed(long runSeed, int index, int sample) {
    long z = runSeed + 0x9E3779B97F4A7C15L * (((long) index << 20) + sample + 1);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
