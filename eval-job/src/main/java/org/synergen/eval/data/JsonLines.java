package org.synergen.eval.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads a JSON-lines file: one JSON object per line, blank lines allowed, anything else is an error. */
public final class JsonLines {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private JsonLines() {}

  /** One parsed line and where it came from. */
  public record Line(Path file, long number, JsonNode json) {
    public EvalInputException error(String message) {
      return new EvalInputException(file, number, message);
    }

    /** A required string field. */
    public String text(String field) {
      JsonNode v = json.get(field);
      if (v == null || !v.isTextual()) {
        throw error("\"" + field + "\" must be a string" + found(v));
      }
      return v.asText();
    }

    /** A required non-empty array of strings. */
    public List<String> texts(String field) {
      JsonNode v = json.get(field);
      if (v == null || !v.isArray() || v.isEmpty()) {
        throw error("\"" + field + "\" must be a non-empty array of strings" + found(v));
      }
      List<String> out = new ArrayList<>(v.size());
      for (JsonNode item : v) {
        if (!item.isTextual()) {
          throw error("\"" + field + "\" must hold only strings, found " + item);
        }
        out.add(item.asText());
      }
      return out;
    }

    /** question_id as text: a string, or an integer written the way JSON wrote it. */
    public String questionId() {
      JsonNode v = json.get("question_id");
      if (v != null && (v.isTextual() || v.isIntegralNumber())) {
        return v.asText();
      }
      throw error("\"question_id\" must be a string or an integer" + found(v));
    }

    private static String found(JsonNode v) {
      return v == null ? " (it is missing)" : ", found " + v;
    }
  }

  public static List<Line> read(Path file) {
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return read(r, file);
    } catch (NoSuchFileException e) {
      throw new EvalInputException(file, "no such file");
    } catch (java.nio.charset.MalformedInputException e) {
      throw new EvalInputException(file, "not UTF-8 text");
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + file, e);
    }
  }

  /** Reads lines from {@code r}; {@code name} is what error messages call the source. */
  public static List<Line> read(BufferedReader r, Path name) throws IOException {
    List<Line> lines = new ArrayList<>();
    String text;
    long number = 0;
    while ((text = r.readLine()) != null) {
      number++;
      if (text.isBlank()) {
        continue;
      }
      JsonNode node;
      try {
        node = MAPPER.readTree(text);
      } catch (JsonProcessingException e) {
        throw new EvalInputException(name, number, "not valid JSON (" + e.getOriginalMessage()
            + "); each line must be one JSON object");
      }
      if (node == null || !node.isObject()) {
        throw new EvalInputException(name, number, "expected a JSON object, found " + node);
      }
      lines.add(new Line(name, number, node));
    }
    return lines;
  }
}
