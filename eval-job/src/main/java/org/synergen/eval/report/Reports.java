package org.synergen.eval.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;

/** Building and writing the JSON score reports. */
public final class Reports {
  public static final ObjectMapper MAPPER =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  /** Reports list at most this many ids of a kind; the count is always complete. */
  public static final int MAX_LISTED_IDS = 100;

  private Reports() {}

  public static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  /** A number, or null where it is undefined (a zero denominator gives NaN). */
  public static void put(ObjectNode node, String field, double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      node.putNull(field);
    } else {
      node.put(field, value);
    }
  }

  /** {"count": n, "question_ids": [first MAX_LISTED_IDS]} */
  public static ObjectNode idList(Collection<String> ids) {
    ObjectNode node = object();
    node.put("count", ids.size());
    ArrayNode list = node.putArray("question_ids");
    ids.stream().limit(MAX_LISTED_IDS).forEach(list::add);
    return node;
  }

  public static String toJson(ObjectNode report) {
    try {
      return MAPPER.writeValueAsString(report);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static void write(ObjectNode report, Path file) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.writeString(file, toJson(report) + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException("writing " + file, e);
    }
  }
}
