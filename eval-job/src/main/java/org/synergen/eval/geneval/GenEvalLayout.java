package org.synergen.eval.geneval;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.synergen.eval.report.Reports;

/**
 * GenEval's folder layout, which its evaluate_images.py reads: one folder per prompt named by its
 * index ({@code 00042/}), holding {@code metadata.jsonl} (the prompt's metadata as one JSON object)
 * and {@code samples/0000.png, 0001.png, ...}: the four-digit names of GenEval's README. (Its
 * generation script writes five digits; evaluate_images.py takes any {@code \d+\.png}.)
 */
public final class GenEvalLayout {
  private GenEvalLayout() {}

  public static Path promptFolder(Path root, int index) {
    return root.resolve(String.format("%05d", index));
  }

  public static Path samplePath(Path root, int index, int sample) {
    return promptFolder(root, index).resolve("samples").resolve(String.format("%04d.png", sample));
  }

  /** Creates the prompt's folder and writes its metadata.jsonl. */
  public static void writePrompt(Path root, GenEvalPrompt prompt) {
    Path folder = promptFolder(root, prompt.index());
    try {
      Files.createDirectories(folder.resolve("samples"));
      Files.writeString(folder.resolve("metadata.jsonl"), Reports.MAPPER.writer()
          .without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT)
          .writeValueAsString(prompt.metadata()));
    } catch (IOException e) {
      throw new UncheckedIOException("writing " + folder, e);
    }
  }

  /** Writes one generated image of the prompt as PNG. */
  public static Path writeSample(Path root, GenEvalPrompt prompt, int sample, BufferedImage image) {
    Path file = samplePath(root, prompt.index(), sample);
    try {
      Files.createDirectories(file.getParent());
      if (!ImageIO.write(image, "png", file.toFile())) {
        throw new IOException("no PNG writer for image type " + image.getType());
      }
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("writing " + file, e);
    }
  }
}
