package org.synergen.pretrain;

import com.typesafe.config.Config;
import org.synergen.train.LearningRateSchedule;
import org.synergen.train.distributed.DistributedSettings;

/**
 * A stage file's {@code train { ... }} and {@code distributed { ... }} blocks, checked.
 *
 * @param stage          1 or 2
 * @param trainable      freeze policy naming the trainable set (model's policies: stage1, stage2)
 * @param steps          total inner optimizer steps
 * @param sequenceLength packed sequence length in tokens
 * @param batchPerTask   global batch per task (understanding and generation each), in sequences
 * @param beta1          AdamW beta1
 * @param beta2          AdamW beta2
 * @param eps            AdamW epsilon
 * @param weightDecay    AdamW decoupled weight decay
 * @param gradClip       global gradient-norm clipping threshold
 * @param seed           base seed of data order and initialisation
 * @param lr             learning-rate schedule over the steps
 * @param distributed    the data-parallel settings
 * @param visionFrom     model file whose vision block sizes the image parts of a text-only --init
 */
public record PretrainSettings(
    int stage,
    String trainable,
    long steps,
    int sequenceLength,
    int batchPerTask,
    double beta1,
    double beta2,
    double eps,
    double weightDecay,
    double gradClip,
    long seed,
    LearningRateSchedule lr,
    DistributedSettings distributed,
    String visionFrom) {

  public static PretrainSettings fromConfig(Config c) {
    Config t = c.getConfig("train");
    Config o = t.getConfig("optimizer");
    if (!o.getString("type").equals("adamw")) {
      throw new IllegalArgumentException("train.optimizer.type must be adamw (the paper's optimizer), got '" + o.getString("type") + "'");
    }
    long steps = t.getLong("steps");
    if (steps < 1) {
      throw new IllegalArgumentException("train.steps must be at least 1, got " + steps);
    }
    return new PretrainSettings(t.getInt("stage"), t.getString("trainable"), steps, t.getInt("sequence-length"),
        t.getInt("batch-per-task"), o.getDouble("beta1"), o.getDouble("beta2"), o.getDouble("eps"),
        o.getDouble("weight-decay"), t.getDouble("grad-clip"), t.getLong("seed"),
        LearningRateSchedule.fromConfig(t.getConfig("lr"), steps), DistributedSettings.fromConfig(c.getConfig("distributed")),
        c.getString("init.vision-from"));
  }

  /** Packed rows per worker and task per step: the global batch per task spread over the workers (rounded up). */
  public int rowsPerWorker() {
    return (batchPerTask + distributed.workers() - 1) / distributed.workers();
  }

  /** Rounds needed for {@link #steps} at H local steps per round (the last round may overshoot). */
  public long rounds() {
    return (steps + distributed.localSteps() - 1) / distributed.localSteps();
  }
}
