package org.synergen.eval.run;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.synergen.eval.generate.MultimodalGenerator;

/** One model on this machine, the inputs one after another. */
final class LocalRunner implements PromptRunner {
  private final MultimodalGenerator generator;

  LocalRunner(MultimodalGenerator generator) {
    this.generator = generator;
  }

  @Override
  public <I extends Serializable, O extends Serializable> List<O> map(List<I> inputs, Work<I, O> work, Progress progress) {
    List<O> out = new ArrayList<>(inputs.size());
    for (I input : inputs) {
      out.add(work.apply(generator, input));
      progress.update(out.size());
    }
    return out;
  }

  @Override
  public void close() {
    generator.close();
  }
}
