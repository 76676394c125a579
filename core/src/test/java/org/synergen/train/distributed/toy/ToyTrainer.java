package org.synergen.train.distributed.toy;

import java.util.Iterator;
import java.util.Map;
import org.synergen.train.LearningRateSchedule;
import org.synergen.train.distributed.LocalResult;
import org.synergen.train.distributed.LocalTrainer;
import org.synergen.train.distributed.OptimizerState;
import org.synergen.train.distributed.StepWindow;
import org.synergen.train.distributed.TensorSet;
import org.synergen.train.distributed.WorkerState;

/** The toy MLP's local trainer: per batch, loss and gradient, global-norm clipping, one AdamW step. */
public final class ToyTrainer implements LocalTrainer<ToyBatch> {
  private final int in;
  private final int hidden;
  private final int out;
  private final LearningRateSchedule lr;
  private final double clip;

  public ToyTrainer(ToyMlp model, LearningRateSchedule lr, double clip) {
    this.in = model.in;
    this.hidden = model.hidden;
    this.out = model.out;
    this.lr = lr;
    this.clip = clip;
  }

  @Override
  public LocalResult train(TensorSet frozen, WorkerState start, Iterator<ToyBatch> batches, StepWindow window) {
    ToyMlp model = new ToyMlp(in, hidden, out);
    ToyAdamW adamw = new ToyAdamW(0.9, 0.95, 1e-8, 0.05);
    TensorSet params = start.trainable();
    OptimizerState opt = start.optimizer();
    TensorSet grads = new TensorSet();
    float[] losses = new float[window.steps()];
    float[] norms = new float[window.steps()];
    double rate = 0;
    long examples = 0;
    for (int s = 0; s < window.steps(); s++) {
      ToyBatch batch = batches.next();
      losses[s] = model.lossAndGradient(frozen, params, batch, grads);
      double sq = 0;
      for (String name : grads.names()) {
        for (float g : grads.get(name)) {
          sq += (double) g * g;
        }
      }
      norms[s] = (float) Math.sqrt(sq);
      if (norms[s] > clip) {
        float f = (float) (clip / norms[s]);
        for (String name : grads.names()) {
          float[] g = grads.get(name);
          for (int i = 0; i < g.length; i++) {
            g[i] *= f;
          }
        }
      }
      rate = lr.at(window.firstStep() + s);
      opt = adamw.step(params, grads, opt, rate);
      examples += batch.n();
    }
    double mean = 0;
    for (float l : losses) {
      mean += l / losses.length;
    }
    return new LocalResult(new WorkerState(params, opt), losses, Map.of("regression", mean), norms, rate, examples, 0);
  }
}
