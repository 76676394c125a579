package org.synergen.train.stage;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.synergen.config.LayeredConfig;
import org.synergen.model.nn.Execution;
import org.synergen.train.LearningRateSchedule;
import org.synergen.train.distributed.DistributedSettings;
import org.synergen.train.freeze.FreezePolicy;

/**
 * A stage file's ({@code conf/stages/*.conf}) {@code train { ... }}, {@code init { ... }} and
 * {@code distributed { ... }} blocks, checked: what every training stage (pretrain stage 1 and 2,
 * sft) runs with.
 *
 * @param stage          the stage's number in trainer_state.json and the progress lines: 1, 2, or 3 (sft)
 * @param trainable      freeze policy naming the trainable set (stage1, stage2, sft)
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
 * @param execution      how a step is carried out ({@code train.execution}: activation
 *                       checkpointing, attention block rows, head chunk rows); same losses and
 *                       gradients whatever it is, only memory and time change
 * @param distributed    the data-parallel settings
 * @param visionFrom     model file whose vision block sizes the image parts of a text-only --init
 */
public record StageSettings(
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
    Execution execution,
    DistributedSettings distributed,
    String visionFrom) {

  /**
   * The stage file under the user's layers ({@code --conf FILE}, then {@code key=value}), every key
   * and type checked against the stage file by {@link LayeredConfig}.
   */
  public static StageSettings load(Path stageFile, Path userConf, List<String> overrides) {
    if (!Files.isRegularFile(stageFile)) {
      throw new IllegalArgumentException("the stage defaults " + stageFile.toAbsolutePath()
          + " are missing (run through bin/synergen, or set -Dsynergen.home to the project folder)");
    }
    return fromConfig(LayeredConfig.load(ConfigFactory.parseFile(stageFile.toFile()), userConf, overrides));
  }

  public static StageSettings fromConfig(Config c) {
    Config t = c.getConfig("train");
    Config o = t.getConfig("optimizer");
    if (!o.getString("type").equals("adamw")) {
      throw new IllegalArgumentException("train.optimizer.type must be adamw (the paper's optimizer), got '" + o.getString("type") + "'");
    }
    String trainable = t.getString("trainable");
    try {
      FreezePolicy.parse(trainable);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("train.trainable: " + e.getMessage());
    }
    long steps = t.getLong("steps");
    if (steps < 1) {
      throw new IllegalArgumentException("train.steps must be at least 1, got " + steps);
    }
    return new StageSettings(t.getInt("stage"), trainable, steps, t.getInt("sequence-length"),
        t.getInt("batch-per-task"), o.getDouble("beta1"), o.getDouble("beta2"), o.getDouble("eps"),
        o.getDouble("weight-decay"), t.getDouble("grad-clip"), t.getLong("seed"),
        LearningRateSchedule.fromConfig(t.getConfig("lr"), steps), execution(t.getConfig("execution")),
        DistributedSettings.fromConfig(c.getConfig("distributed")), c.getString("init.vision-from"));
  }

  private static Execution execution(Config e) {
    int block = e.getInt("attention-block");
    int chunk = e.getInt("head-chunk-rows");
    if (block < 1 || chunk < 1) {
      throw new IllegalArgumentException("train.execution.attention-block (" + block
          + ") and train.execution.head-chunk-rows (" + chunk + ") must be at least 1");
    }
    return new Execution(false, block, e.getBoolean("activation-checkpointing"), chunk);
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
