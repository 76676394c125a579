package org.synergen.eval.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.synergen.eval.data.EvalInputException;
import org.synergen.eval.data.JsonLines;
import org.synergen.eval.report.Reports;

/**
 * The VQA benchmarks' own annotation files, with images in a folder ({@code --images}, by default
 * where the benchmark's download puts them next to the file):
 * <ul>
 *   <li>TextVQA {@code TextVQA_0.5.1_val.json}: {@code data[]} of question_id, question, image_id,
 *       answers; images {@code train_images/<image_id>.jpg} (the val images ship there)
 *   <li>DocVQA {@code val_v1.0.json}: {@code data[]} of questionId, question, image
 *       ("documents/x.png", relative to the folder), answers, question_types
 *   <li>InfographicVQA {@code infographicsVQA_val_v1.0_withQT.json}: {@code data[]} of questionId,
 *       question, image_local_name, answers, answer_type, evidence, operation/reasoning; images in
 *       {@code infographicsvqa_images/}
 *   <li>ChartQA {@code test_human.json} / {@code test_augmented.json}: a list of imgname, query,
 *       label; images in {@code png/}; the split is named by the file
 *   <li>GQA {@code testdev_balanced_questions.json}: an object of question id to imageId, question,
 *       answer, types {structural, semantic}; images {@code images/<imageId>.jpg}
 *   <li>POPE {@code coco_pope_<category>.json}: JSON lines of question_id, image, text, label; the
 *       category (random, popular, adversarial) from the file name; COCO val2014 images
 * </ul>
 */
final class OfficialAnnotations {
  private OfficialAnnotations() {}

  static List<VqaItem> textVqa(Path file, Path images) {
    Path folder = images != null ? images : file.resolveSibling("train_images");
    return dataList(file, (e) -> {
      String id = e.id("question_id");
      return new VqaItem(id, e.text("question"), List.of(e.image(folder.resolve(e.text("image_id") + ".jpg"))),
          e.texts("answers"), Reports.object(), e.origin);
    });
  }

  static List<VqaItem> docVqa(Path file, Path images) {
    Path folder = images != null ? images : sibling(file);
    return dataList(file, (e) -> {
      ObjectNode fields = Reports.object();
      e.copy(fields, "question_types");
      return new VqaItem(e.id("questionId"), e.text("question"), List.of(e.image(folder.resolve(e.text("image")))),
          e.texts("answers"), fields, e.origin);
    });
  }

  static List<VqaItem> infoVqa(Path file, Path images) {
    Path folder = images != null ? images : file.resolveSibling("infographicsvqa_images");
    return dataList(file, (e) -> {
      ObjectNode fields = Reports.object();
      e.copy(fields, "answer_type");
      e.copy(fields, "evidence");
      e.copy(fields, "operation/reasoning");
      return new VqaItem(e.id("questionId"), e.text("question"),
          List.of(e.image(folder.resolve(e.text("image_local_name")))), e.texts("answers"), fields, e.origin);
    });
  }

  static List<VqaItem> chartQa(Path file, Path images) {
    Path folder = images != null ? images : file.resolveSibling("png");
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    String split = name.contains("human") ? "human" : name.contains("aug") ? "augmented" : stem(file);
    JsonNode root = json(file);
    if (!root.isArray()) {
      throw new EvalInputException(file, "ChartQA's test file is a JSON list of {imgname, query, label}");
    }
    List<VqaItem> items = new ArrayList<>();
    for (int i = 0; i < root.size(); i++) {
      Entry e = new Entry(file, i, root.get(i));
      ObjectNode fields = Reports.object().put("split", split);
      // ChartQA has no question ids: the file's split and the entry's position name the question
      items.add(new VqaItem(split + "/" + i, e.text("query"), List.of(e.image(folder.resolve(e.text("imgname")))),
          List.of(e.scalar("label")), fields, e.origin));
    }
    return nonEmpty(file, items);
  }

  static List<VqaItem> gqa(Path file, Path images) {
    Path folder = images != null ? images : file.resolveSibling("images");
    JsonNode root = json(file);
    if (!root.isObject()) {
      throw new EvalInputException(file, "GQA's questions file is a JSON object of question id -> question");
    }
    List<VqaItem> items = new ArrayList<>();
    Iterator<Map.Entry<String, JsonNode>> it = root.fields();
    int i = 0;
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> q = it.next();
      Entry e = new Entry(file, i++, q.getValue());
      ObjectNode fields = Reports.object();
      JsonNode types = q.getValue().path("types");
      for (String t : List.of("structural", "semantic")) {
        if (types.hasNonNull(t)) {
          fields.put(t, types.get(t).asText());
        }
      }
      items.add(new VqaItem(q.getKey(), e.text("question"),
          List.of(e.image(folder.resolve(e.text("imageId") + ".jpg"))), List.of(e.text("answer")), fields, e.origin));
    }
    return nonEmpty(file, items);
  }

  /** One POPE file, or every coco_pope_*.json* file of a folder. */
  static List<VqaItem> pope(Path data, Path images) {
    List<Path> files = new ArrayList<>();
    if (Files.isDirectory(data)) {
      try (var s = Files.list(data)) {
        s.filter(p -> p.getFileName().toString().matches("(?i).*pope.*\\.jsonl?")).sorted().forEach(files::add);
      } catch (IOException e) {
        throw new UncheckedIOException("listing " + data, e);
      }
      if (files.isEmpty()) {
        throw new EvalInputException(data, "holds no POPE file (coco_pope_random.json, ...)");
      }
    } else {
      files.add(data);
    }
    List<VqaItem> items = new ArrayList<>();
    for (Path file : files) {
      Path folder = images != null ? images : file.resolveSibling("val2014");
      String category = stem(file).replaceFirst("(?i)^.*pope_", "");
      List<JsonLines.Line> lines = JsonLines.read(file);
      if (lines.isEmpty()) {
        throw new EvalInputException(file, "the file is empty; POPE files hold one {question_id, image, text, "
            + "label} object per line");
      }
      for (JsonLines.Line l : lines) {
        String origin = file + ":" + l.number();
        String label = l.text("label");
        ObjectNode fields = Reports.object().put("category", category);
        items.add(new VqaItem(category + "/" + l.questionId(), l.text("text"),
            List.of(ImageRef.file(origin, folder.resolve(l.text("image")))), List.of(label), fields, origin));
      }
    }
    return items;
  }

  /** A file whose {@code data} list holds one object per question. */
  private static List<VqaItem> dataList(Path file, Function<Entry, VqaItem> parse) {
    JsonNode data = json(file).get("data");
    if (data == null || !data.isArray()) {
      throw new EvalInputException(file, "expected an object with a \"data\" list of questions (the official "
          + "annotation file)");
    }
    List<VqaItem> items = new ArrayList<>();
    for (int i = 0; i < data.size(); i++) {
      items.add(parse.apply(new Entry(file, i, data.get(i))));
    }
    return nonEmpty(file, items);
  }

  private static List<VqaItem> nonEmpty(Path file, List<VqaItem> items) {
    if (items.isEmpty()) {
      throw new EvalInputException(file, "holds no questions");
    }
    return items;
  }

  private static JsonNode json(Path file) {
    try {
      if (Files.size(file) == 0) {
        throw new EvalInputException(file, "the file is empty");
      }
      return Reports.MAPPER.readTree(file.toFile());
    } catch (NoSuchFileException e) {
      throw new EvalInputException(file, "no such file");
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new EvalInputException(file, "not valid JSON (" + e.getOriginalMessage() + ")");
    } catch (IOException e) {
      if (!Files.exists(file)) {
        throw new EvalInputException(file, "no such file");
      }
      throw new UncheckedIOException("reading " + file, e);
    }
  }

  private static Path sibling(Path file) {
    Path parent = file.toAbsolutePath().getParent();
    return parent == null ? Path.of(".") : parent;
  }

  private static String stem(Path file) {
    return file.getFileName().toString().replaceFirst("\\.[^.]*$", "");
  }

  /** One question object and where it sits, for errors ("FILE: entry N: ..."). */
  private static final class Entry {
    final JsonNode json;
    final String origin;

    Entry(Path file, int index, JsonNode json) {
      this.json = json;
      this.origin = file + ": entry " + index;
    }

    EvalInputException error(String message) {
      return new EvalInputException(origin + ": " + message);
    }

    String text(String field) {
      JsonNode v = json.get(field);
      if (v == null || !v.isTextual()) {
        throw error("\"" + field + "\" must be a string" + (v == null ? " (it is missing)" : ", found " + v));
      }
      return v.asText();
    }

    /** A string or a number given as text (ChartQA labels are both). */
    String scalar(String field) {
      JsonNode v = json.get(field);
      if (v == null || !v.isValueNode() || v.isNull()) {
        throw error("\"" + field + "\" must be a string or a number" + (v == null ? " (it is missing)" : ", found " + v));
      }
      return v.asText();
    }

    String id(String field) {
      JsonNode v = json.get(field);
      if (v == null || !(v.isTextual() || v.isIntegralNumber())) {
        throw error("\"" + field + "\" must be a string or an integer" + (v == null ? " (it is missing)" : ", found " + v));
      }
      return v.asText();
    }

    List<String> texts(String field) {
      JsonNode v = json.get(field);
      List<String> out = new ArrayList<>();
      if (v != null && v.isArray()) {
        v.forEach(a -> out.add(a.isTextual() ? a.asText() : null));
      }
      if (out.isEmpty() || out.contains(null)) {
        throw error("\"" + field + "\" must be a non-empty list of strings" + (v == null ? " (it is missing)" : ", found " + v));
      }
      return out;
    }

    void copy(ObjectNode fields, String field) {
      if (json.hasNonNull(field)) {
        fields.set(field, json.get(field));
      }
    }

    ImageRef image(Path path) {
      return ImageRef.file(origin, path);
    }
  }
}
