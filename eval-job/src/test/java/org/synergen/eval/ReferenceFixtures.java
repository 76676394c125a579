package org.synergen.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The fixtures scripts/reference/eval_metrics_reference.py writes by running the official scoring
 * scripts (see that script for which ones and how).
 */
public final class ReferenceFixtures {
  private ReferenceFixtures() {}

  public static JsonNode load(String name) {
    try (InputStream in = ReferenceFixtures.class.getResourceAsStream("/reference/" + name)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource /reference/" + name);
      }
      return new ObjectMapper().readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(v -> out.add(v.asText()));
    return out;
  }
}
