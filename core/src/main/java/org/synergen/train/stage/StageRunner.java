package org.synergen.train.stage;

import com.typesafe.config.ConfigException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.synergen.config.ModelConfig;
import org.synergen.io.Safetensors;
import org.synergen.io.hf.HfConfig;
import org.synergen.model.SynerGenModel;
import org.synergen.spark.JobSession;
import org.synergen.train.checkpoint.CheckpointStore;
import org.synergen.train.checkpoint.SafetensorsCodec;
import org.synergen.train.data.SampleSource;
import org.synergen.train.data.StepBatches;
import org.synergen.train.data.TokenShardSlices;
import org.synergen.train.distributed.DataParallelTrainer;
import org.synergen.train.distributed.LocalTrainer;
import org.synergen.train.distributed.NonFiniteTrainingException;
import org.synergen.train.distributed.RoundRunner;
import org.synergen.train.distributed.TrainingState;
import org.synergen.train.freeze.FreezePolicy;
import org.synergen.train.freeze.TrainableTensors;
import org.synergen.train.pretrain.OptimizerSettings;
import org.synergen.train.pretrain.SynerGenCheckpointLayout;
import org.synergen.train.pretrain.SynerGenLocalTrainer;

/**
 * One training stage of SynerGen-VL run end to end, the same for pretrain stage 1 and 2 and for sft
 * (README "pretrain"): starting weights, the input counted in one streaming pass, then Spark
 * (through {@link JobSession}) for the data-parallel rounds with checkpoints, {@code --resume},
 * metrics and a progress line per round. Bad input is found before Spark starts.
 *
 * <p>Exit codes, as the jobs document them: 0 finished, 1 training failed (the last checkpoint is
 * kept), 2 bad input.
 */
public final class StageRunner {
  /**
   * What a stage's command line asks for.
   *
   * @param job    the command, for messages ({@code pretrain}, {@code sft})
   * @param name   the stage as the user reads it ({@code stage 1}, {@code sft})
   * @param resume continue from the newest complete checkpoint in {@code output}
   */
  public record Request(String job, String name, StageSettings settings, String init, String input, String output,
      boolean resume) {}

  private final Path home;
  private final UnaryOperator<LocalTrainer<StepBatches>> worker;

  /** @param home the project folder: relative model files of --init and init.vision-from resolve against it */
  public StageRunner(Path home) {
    this(home, UnaryOperator.identity());
  }

  /** @param worker wraps the trainer every Spark task runs (the resume proofs make one round crash) */
  public StageRunner(Path home, UnaryOperator<LocalTrainer<StepBatches>> worker) {
    this.home = home;
    this.worker = worker;
  }

  public int run(Request r, PrintWriter out, PrintWriter err) {
    String prefix = "synergen " + r.job() + ": ";
    StageSettings settings = r.settings();
    int workers = settings.distributed().workers();
    out.printf(Locale.ROOT, "%s: %d steps = %d rounds of H=%d on %d workers, outer update %s, lr %s %.3g%n",
        r.name(), settings.steps(), settings.rounds(), settings.distributed().localSteps(), workers,
        settings.distributed().outerUpdate().configName(), settings.lr().shape().name().toLowerCase(Locale.ROOT),
        settings.lr().peak());
    out.flush();
    StageInit start;
    TokenShardSlices data;
    try {
      start = StageInit.resolve(r.init(), settings, home);
      SampleSource source = StageInput.open(r.input(), start.config(), settings, out);
      ModelConfig cfg = start.config();
      out.printf(Locale.ROOT, "model: %s (d %d, %d layers, vocab %d); trainable: %s%n", start.description(),
          cfg.hiddenSize(), cfg.numLayers(), cfg.vocabSize(), settings.trainable());
      data = new TokenShardSlices(source, cfg.vision(), settings.sequenceLength(), settings.rowsPerWorker());
      // one streaming pass on the driver before Spark starts, so a bad input fails with exit 2
      if (!describe(data.summary(workers, settings.seed()), settings, out, err, prefix)) {
        return 2;
      }
    } catch (IllegalArgumentException | ConfigException | IOException | UncheckedIOException e) {
      err.println(prefix + e.getMessage());
      return 2;
    }
    out.flush();

    ModelConfig cfg = start.config();
    SynerGenLocalTrainer trainer = new SynerGenLocalTrainer(cfg, FreezePolicy.parse(settings.trainable()),
        new OptimizerSettings(settings.beta1(), settings.beta2(), settings.eps(), settings.weightDecay(),
            settings.gradClip(), SynerGenModel.DEFAULT_IMAGE_LOSS_WEIGHT), settings.lr(), settings.execution());
    SparkConf spark = new SparkConf().setIfMissing("spark.app.name", "synergen " + r.job() + " " + r.name())
        .setIfMissing("spark.master", "local[" + workers + "]");
    try (JobSession session = JobSession.open(spark)) {
      JavaSparkContext sc = JavaSparkContext.fromSparkContext(session.spark().sparkContext());
      CheckpointStore store = new CheckpointStore(r.output(), sc.hadoopConfiguration(), new SafetensorsCodec(),
          new SynerGenCheckpointLayout(cfg, trainer.trainableSet()));
      if (!r.resume() && !store.completeCheckpoints().isEmpty()) {
        err.println(prefix + r.output() + " already holds checkpoints (newest " + store.latest().orElseThrow()
            + "); add --resume to continue that run, or choose a new --output");
        return 2;
      }
      TrainableTensors.Split split = TrainableTensors.split(start.parameters(), trainer.trainableSet());
      TrainingState fresh = TrainingState.start(settings.stage(), settings.seed(), split.frozen(), split.trainable(),
          settings.distributed().outerUpdate(), workers);
      DataParallelTrainer<StepBatches> job = new DataParallelTrainer<>(
          new RoundRunner<>(sc, worker.apply(trainer), data, settings.distributed()), settings.distributed(), store,
          HfConfig.toJson(cfg, Safetensors.DType.F32).toString(), line -> {
            out.println(line);
            out.flush();
          });
      TrainingState state = r.resume() ? job.resumeOrStart(fresh) : fresh;
      state = job.train(state, settings.rounds());
      out.printf(Locale.ROOT, "finished %s after %d rounds (%d steps, %d samples, %d tokens); checkpoints in %s%n",
          r.name(), state.round(), state.nextStep(), state.examplesSeen(), state.tokensSeen(), r.output());
      return 0;
    } catch (NonFiniteTrainingException e) {
      err.println(prefix + e.getMessage() + "; the last good checkpoint in " + r.output() + " is untouched");
      return 1;
    } catch (IOException | RuntimeException e) {
      err.println(prefix + "training failed: " + e);
      return 1;
    }
  }

  /** The data line per task; false (with the reason on {@code err}) when a worker would get no samples. */
  private static boolean describe(List<TokenShardSlices.TaskSummary> summary, StageSettings settings, PrintWriter out,
      PrintWriter err, String prefix) {
    for (TokenShardSlices.TaskSummary t : summary) {
      out.printf(Locale.ROOT, "data %s: %d samples (%d failure rows skipped%s, %d longer than %d tokens skipped%s); "
              + "%d packed rows of %d per worker and step%n", t.task(), t.samples(), t.failed(),
          t.failedByStatus().isEmpty() ? "" : " " + t.failedByStatus(), t.tooLong(),
          settings.sequenceLength(), t.tooLongKeys().isEmpty() ? "" : ", e.g. " + t.tooLongKeys(),
          settings.rowsPerWorker(), settings.sequenceLength());
      if (t.smallestSlice() == 0) {
        err.println(prefix + "some of the " + settings.distributed().workers() + " workers get no usable '" + t.task()
            + "' samples; give more data or fewer workers (distributed.workers)");
        return false;
      }
    }
    return true;
  }
}
