package org.synergen.eval.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.synergen.eval.data.EvalInputException;
import org.synergen.eval.data.JsonLines;

/**
 * The captions an FID run draws (MSCOCO-30K's, MJHQ-30K's): JSON lines with a "prompt" or
 * "caption" string each, or plain text with one prompt per line.
 */
final class PromptFile {
  private PromptFile() {}

  static List<String> read(Path file) {
    List<String> prompts = new ArrayList<>();
    if (file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".jsonl")) {
      for (JsonLines.Line l : JsonLines.read(file)) {
        prompts.add(l.json().has("prompt") ? l.text("prompt") : l.text("caption"));
      }
    } else {
      try {
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
          if (!line.isBlank()) {
            prompts.add(line.strip());
          }
        }
      } catch (NoSuchFileException e) {
        throw new EvalInputException(file, "no such file");
      } catch (IOException e) {
        throw new UncheckedIOException("reading " + file, e);
      }
    }
    if (prompts.isEmpty()) {
      throw new EvalInputException(file, "the file is empty; give one prompt per line (.txt) or "
          + "{\"prompt\": ...} / {\"caption\": ...} lines (.jsonl)");
    }
    return prompts;
  }
}
