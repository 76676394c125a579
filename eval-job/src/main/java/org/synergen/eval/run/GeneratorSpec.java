package org.synergen.eval.run;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.synergen.eval.generate.MultimodalGenerator;

/**
 * Which model to open and how, as text so that it travels to executors. Each JVM opens a model once
 * and keeps it for the tasks that follow (loading a checkpoint costs far more than one task).
 */
record GeneratorSpec(GeneratorFactory factory, String checkpoint, String vq, String tokenizer) implements Serializable {
  private static final Map<String, MultimodalGenerator> OPENED = new ConcurrentHashMap<>();

  MultimodalGenerator open() {
    return factory.open(Path.of(checkpoint), vq == null ? null : Path.of(vq), tokenizer == null ? null : Path.of(tokenizer));
  }

  /** The model of this JVM for this spec, opened on first use. */
  MultimodalGenerator shared() {
    return OPENED.computeIfAbsent(checkpoint + "|" + vq + "|" + tokenizer, k -> open());
  }
}
