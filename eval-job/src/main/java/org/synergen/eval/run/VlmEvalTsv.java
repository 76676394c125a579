package org.synergen.eval.run;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.synergen.eval.QaTask;
import org.synergen.eval.data.EvalInputException;
import org.synergen.eval.report.Reports;

/**
 * A benchmark in VLMEvalKit's TSV form (TextVQA_VAL.tsv, DocVQA_VAL.tsv, POPE.tsv, MME.tsv, ...):
 * a header row, then one question per row with columns {@code index, image, question, answer} and
 * the benchmark's extras. As in VLMEvalKit, an image cell is base64 image bytes, a list repr of
 * several, or (64 characters or fewer) the index of an earlier row whose image it shares; without an
 * image column, {@code image_path} names files under the image folder. An answer cell holding a
 * list repr gives several accepted answers. POPE's Yes/No become the official files' yes/no.
 */
final class VlmEvalTsv {
  /** Columns a VQA TSV may carry besides the task's breakdown fields; anything else is refused. */
  private static final Set<String> KNOWN = Set.of("index", "image", "image_path", "question", "answer",
      "category", "l2-category", "split", "question_type", "answer_type", "source");
  /** VLMEvalKit's rule: an image cell this short is another row's index, not image bytes. */
  private static final int REFERENCE_MAX_CHARS = 64;

  private VlmEvalTsv() {}

  static List<VqaItem> read(Path file, QaTask task, Path imageFolder) {
    List<TsvRows.Row> rows;
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      rows = TsvRows.read(r);
    } catch (NoSuchFileException e) {
      throw new EvalInputException(file, "no such file");
    } catch (java.nio.charset.MalformedInputException e) {
      throw new EvalInputException(file, "not UTF-8 text");
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + file, e);
    }
    if (rows.isEmpty()) {
      throw new EvalInputException(file, "the file is empty; a VLMEvalKit TSV has a header row "
          + "(index, image, question, answer, ...) and one row per question");
    }
    List<String> header = rows.get(0).cells();
    Set<String> allowed = new LinkedHashSet<>(KNOWN);
    allowed.addAll(task.breakdownFields());
    for (String column : header) {
      if (!allowed.contains(column)) {
        throw new EvalInputException(file, 1, "unknown column \"" + column + "\" for --task " + task.cliName()
            + "; the columns read are " + allowed + " (drop or rename the column)");
      }
    }
    Map<String, Integer> col = new HashMap<>();
    for (int i = 0; i < header.size(); i++) {
      if (col.put(header.get(i), i) != null) {
        throw new EvalInputException(file, 1, "column \"" + header.get(i) + "\" appears twice");
      }
    }
    for (String required : List.of("index", "question", "answer")) {
      if (!col.containsKey(required)) {
        throw new EvalInputException(file, 1, "no \"" + required + "\" column; VLMEvalKit's VQA TSVs have "
            + "index, image, question, answer (a test split without answers cannot be scored)");
      }
    }
    if (!col.containsKey("image") && !col.containsKey("image_path")) {
      throw new EvalInputException(file, 1, "no \"image\" (base64) or \"image_path\" column");
    }
    if (rows.size() == 1) {
      throw new EvalInputException(file, "has a header but no questions");
    }
    Map<String, String> imageByIndex = new HashMap<>();
    Map<String, String> imageOwner = new HashMap<>();
    List<VqaItem> items = new ArrayList<>();
    Set<String> seen = new java.util.HashSet<>();
    for (TsvRows.Row row : rows.subList(1, rows.size())) {
      String origin = file + ":" + row.line();
      if (row.cells().size() != header.size()) {
        throw new EvalInputException(file, row.line(), "has " + row.cells().size() + " cells, the header has "
            + header.size() + " (a tab inside an unquoted cell?)");
      }
      String index = row.cells().get(col.get("index"));
      if (index.isBlank() || !seen.add(index)) {
        throw new EvalInputException(file, row.line(), index.isBlank() ? "empty index"
            : "index " + index + " appears twice; indices must be unique");
      }
      List<ImageRef> images;
      String imageKey;
      if (col.containsKey("image") && !row.cells().get(col.get("image")).isBlank()) {
        String cell = row.cells().get(col.get("image"));
        String root = cell;
        if (cell.length() <= REFERENCE_MAX_CHARS) {
          root = imageByIndex.get(cell);
          if (root == null) {
            throw new EvalInputException(file, row.line(), "image cell \"" + cell + "\" is short enough to be "
                + "another row's index (VLMEvalKit's rule), but no earlier row has index " + cell);
          }
          imageKey = imageOwner.get(cell);
        } else {
          imageKey = index;
        }
        imageByIndex.put(index, root);
        imageOwner.put(index, imageKey);
        List<String> several = PythonList.parse(root);
        images = new ArrayList<>();
        for (String b64 : several == null ? List.of(root) : several) {
          images.add(ImageRef.base64(origin, b64));
        }
      } else if (col.containsKey("image_path") && !row.cells().get(col.get("image_path")).isBlank()) {
        String path = row.cells().get(col.get("image_path"));
        images = List.of(ImageRef.file(origin, imageFolder.resolve(path)));
        imageKey = path;
      } else {
        throw new EvalInputException(file, row.line(), "missing image: both \"image\" and \"image_path\" are empty");
      }
      String answer = row.cells().get(col.get("answer"));
      List<String> answers = PythonList.parse(answer);
      if (answers == null) {
        answers = List.of(answer);
      }
      if (answers.isEmpty() || answer.isBlank()) {
        throw new EvalInputException(file, row.line(), "empty answer");
      }
      if (task == QaTask.POPE) {
        // VLMEvalKit writes Yes/No; LLaVA's POPE script (our scorer) reads the official lower-case labels
        answers = answers.stream().map(a -> a.toLowerCase(java.util.Locale.ROOT)).toList();
      }
      ObjectNode fields = Reports.object();
      for (String column : header) {
        if (!List.of("index", "image", "image_path", "question", "answer").contains(column)) {
          fields.put(column, row.cells().get(col.get(column)));
        }
      }
      if (task == QaTask.MME) {
        // MME pairs two questions per image: rows that share an image share this key
        fields.put("image", col.containsKey("image_path") ? row.cells().get(col.get("image_path")) : imageKey);
      }
      items.add(new VqaItem(index, row.cells().get(col.get("question")), images, answers, fields, origin));
    }
    return items;
  }
}
