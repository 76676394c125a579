package org.synergen.eval.run;

import java.io.Serializable;
import java.nio.file.Path;
import org.synergen.eval.generate.MultimodalGenerator;

/** Opens the model a run generates with; serializable so that Spark executors can open their own. */
@FunctionalInterface
public interface GeneratorFactory extends Serializable {
  MultimodalGenerator open(Path checkpoint, Path vqOrNull, Path tokenizerJsonOrNull);
}
