package org.synergen.train.pretrain;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.synergen.config.ModelConfig;
import org.synergen.data.TokenShardRow;
import org.synergen.model.Loss;
import org.synergen.model.ParameterShapes;
import org.synergen.model.SynerGenModel;
import org.synergen.model.nn.Execution;
import org.synergen.train.LearningRateSchedule;
import org.synergen.train.data.StepBatches;
import org.synergen.train.distributed.LocalResult;
import org.synergen.train.distributed.LocalTrainer;
import org.synergen.train.distributed.OptimizerState;
import org.synergen.train.distributed.StepWindow;
import org.synergen.train.distributed.TensorSet;
import org.synergen.train.distributed.WorkerState;
import org.synergen.train.freeze.FreezePolicy;
import org.synergen.train.freeze.TrainableSet;
import org.synergen.train.freeze.TrainableTensors;
import org.synergen.train.optim.AdamW;
import org.synergen.train.optim.GradientClipping;

/**
 * SynerGen-VL as a worker of the data-parallel trainer: restores the model from the frozen and
 * trainable tensors, runs H AdamW steps, and hands back the trainable tensors (row-trained ones as
 * their rows only, see {@link TrainableTensors}) and the AdamW moments.
 *
 * <p>One step = an understanding batch and a generation batch (the paper trains both every step).
 * The step's loss is the SUM of the two task losses, each the model's own mean (text CE + lambda *
 * image-id CE over its batch): each task's gradient then has the scale it would have alone, and
 * neither task is halved when the other is present. That is also how docs/model.md reads the paper
 * ("the paper sums"). Then global-norm clipping over what trains, then one AdamW step at the
 * schedule's rate for the global step index.
 *
 * <p>Pure: nothing random happens here (the data order comes from the batches), so a retried task
 * returns the same bits.
 */
public final class SynerGenLocalTrainer implements LocalTrainer<StepBatches> {
  private static final long serialVersionUID = 1L;

  private final ModelConfig cfg;
  private final FreezePolicy policy;
  private final OptimizerSettings optimizer;
  private final LearningRateSchedule lr;
  private final Execution execution;

  public SynerGenLocalTrainer(ModelConfig cfg, FreezePolicy policy, OptimizerSettings optimizer, LearningRateSchedule lr,
      Execution execution) {
    this.cfg = cfg;
    this.policy = policy;
    this.optimizer = optimizer;
    this.lr = lr;
    this.execution = execution;
  }

  /** The trainable set of this stage over the model's tensors. */
  public TrainableSet trainableSet() {
    return policy.select(cfg, ParameterShapes.of(cfg).keySet());
  }

  @Override
  public LocalResult train(TensorSet frozen, WorkerState start, Iterator<StepBatches> batches, StepWindow window) {
    TrainableSet set = trainableSet();
    SynerGenModel model = SynerGenModel.fromParameters(cfg,
        TrainableTensors.merge(frozen, start.trainable(), set, new ArrayList<>(ParameterShapes.of(cfg).keySet())));
    model.setTrainable(set::trains);
    model.setExecution(execution);
    AdamW adamw = new AdamW(optimizer.beta1(), optimizer.beta2(), optimizer.eps(), optimizer.weightDecay());
    adamw.loadState(adamState(start.optimizer()));

    int steps = window.steps();
    float[] losses = new float[steps];
    float[] norms = new float[steps];
    double undSum = 0;
    double genSum = 0;
    double rate = 0;
    long examples = 0;
    long tokens = 0;
    int done = 0;
    int applied = 0;
    for (int s = 0; s < steps; s++) {
      StepBatches step = batches.next();
      Loss und = model.forwardBackward(step.understanding(), optimizer.imageLossWeight());
      Map<String, INDArray> grads = new LinkedHashMap<>();
      model.gradients().forEach((name, g) -> grads.put(name, g.dup()));
      Loss gen = model.forwardBackward(step.generation(), optimizer.imageLossWeight());
      model.gradients().forEach((name, g) -> grads.get(name).addi(g));
      losses[s] = (float) (und.total() + gen.total());
      norms[s] = (float) GradientClipping.clip(grads, set, optimizer.gradClip());
      undSum += und.total();
      genSum += gen.total();
      examples += step.samples();
      tokens += step.tokens();
      done = s + 1;
      if (!Float.isFinite(losses[s]) || !Float.isFinite(norms[s])) {
        break; // the driver names this step; later steps would only spread the NaN
      }
      rate = lr.at(window.firstStep() + s);
      adamw.step(model.parameters(), grads, set, rate);
      applied++;
    }
    Map<String, Double> perTask = new LinkedHashMap<>();
    perTask.put(TokenShardRow.UNDERSTANDING, undSum / done);
    perTask.put(TokenShardRow.GENERATION, genSum / done);
    TensorSet moments = new TensorSet();
    adamw.state().forEach((name, t) -> {
      if (!name.endsWith(".step")) {
        moments.put(name, t.shape(), TrainableTensors.floats(t));
      }
    });
    OptimizerState end = new OptimizerState(moments, start.optimizer().steps() + applied);
    return new LocalResult(new WorkerState(TrainableTensors.trainable(model.parameters(), set), end), losses, perTask,
        norms, rate, examples, tokens);
  }

  /**
   * AdamW's named state from the shipped one: moments as they are, and every tensor's step count
   * = the state's step count (all trained tensors get a gradient every step, so they agree).
   */
  private static Map<String, INDArray> adamState(OptimizerState state) {
    Map<String, INDArray> out = new LinkedHashMap<>();
    for (String name : state.tensors().names()) {
      out.put(name, TrainableTensors.array(state.tensors().tensor(name)));
      if (name.endsWith(".m")) {
        out.put(name.substring(0, name.length() - 2) + ".step",
            Nd4j.createFromArray(state.steps()));
      }
    }
    return out;
  }
}
