package org.synergen.eval.run;

import java.io.Serializable;
import java.util.List;
import org.synergen.eval.generate.MultimodalGenerator;

/** Turns a benchmark's prompts into the model's outputs, in input order: on this machine or over executors. */
interface PromptRunner extends AutoCloseable {
  /** What the model does with one input. */
  interface Work<I, O> extends Serializable {
    O apply(MultimodalGenerator generator, I input);
  }

  <I extends Serializable, O extends Serializable> List<O> map(List<I> inputs, Work<I, O> work, Progress progress);

  @Override
  void close();
}
