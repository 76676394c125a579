package org.synergen.train.freeze;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The trainable part of a model: tensor names, each trained whole or in selected rows only
 * (e.g. the image special tokens' rows of the text embedding). Everything else is frozen: the
 * optimizer never writes it, weight decay included.
 */
public final class TrainableSet {
  private final Map<String, int[]> rows;

  /** @param rows name -> trained row indices, or null for the whole tensor */
  public TrainableSet(Map<String, int[]> rows) {
    this.rows = Collections.unmodifiableMap(new LinkedHashMap<>(rows));
  }

  /** Whether {@code name} trains at all (also what the model needs gradients for). */
  public boolean trains(String name) {
    return rows.containsKey(name);
  }

  /** Trained rows of {@code name}, or null when the whole tensor trains. */
  public int[] rows(String name) {
    return rows.get(name);
  }

  public Set<String> names() {
    return rows.keySet();
  }
}
