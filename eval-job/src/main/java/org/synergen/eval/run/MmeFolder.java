package org.synergen.eval.run;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.synergen.eval.data.EvalInputException;
import org.synergen.eval.mme.Mme;
import org.synergen.eval.report.Reports;

/**
 * MME's release folder (MME_Benchmark_release_version): one folder per sub-task; in each, image
 * files with a same-name .txt beside them, or {@code images/} and {@code questions_answers_YN/}.
 * Each .txt line is {@code question<TAB>Yes|No}, two per image.
 */
final class MmeFolder {
  private static final List<String> IMAGE_EXTENSIONS = List.of(".jpg", ".png", ".jpeg");

  private MmeFolder() {}

  static List<VqaItem> read(Path root) {
    List<VqaItem> items = new ArrayList<>();
    List<String> subtasks = new ArrayList<>(Mme.PERCEPTION);
    subtasks.addAll(Mme.COGNITION);
    for (String subtask : subtasks) {
      Path folder = root.resolve(subtask);
      if (!Files.isDirectory(folder)) {
        continue;
      }
      boolean split = Files.isDirectory(folder.resolve("questions_answers_YN"));
      Path texts = split ? folder.resolve("questions_answers_YN") : folder;
      Path images = split ? folder.resolve("images") : folder;
      for (Path txt : list(texts)) {
        String stem = txt.getFileName().toString().replaceFirst("\\.txt$", "");
        Path image = IMAGE_EXTENSIONS.stream().map(e -> images.resolve(stem + e)).filter(Files::isRegularFile)
            .findFirst().orElseThrow(() -> new EvalInputException(txt, "missing image: no " + stem
                + IMAGE_EXTENSIONS + " in " + images));
        List<String> lines = lines(txt);
        for (int i = 0; i < lines.size(); i++) {
          if (lines.get(i).isBlank()) {
            continue;
          }
          String[] cells = lines.get(i).split("\t");
          if (cells.length != 2) {
            throw new EvalInputException(txt, i + 1, "expected \"question<TAB>answer\", found " + cells.length
                + " tab-separated cells");
          }
          String origin = txt + ":" + (i + 1);
          ObjectNode fields = Reports.object().put("category", subtask).put("image", image.getFileName().toString());
          items.add(new VqaItem(subtask + "/" + stem + "/" + (i + 1), cells[0].strip(),
              List.of(ImageRef.file(origin, image)), List.of(cells[1].strip()), fields, origin));
        }
      }
    }
    if (items.isEmpty()) {
      throw new EvalInputException(root, "holds no MME sub-task folder with questions (expected folders named "
          + subtasks + ", each with .txt question files)");
    }
    return items;
  }

  private static List<Path> list(Path folder) {
    try (Stream<Path> s = Files.list(folder)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".txt")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("listing " + folder, e);
    }
  }

  private static List<String> lines(Path file) {
    try {
      return Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + file, e);
    }
  }
}
