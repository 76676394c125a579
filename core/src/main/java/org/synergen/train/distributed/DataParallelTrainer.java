package org.synergen.train.distributed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.hadoop.fs.Path;
import org.synergen.train.checkpoint.CheckpointStore;
import org.synergen.train.metrics.MetricsLog;
import org.synergen.train.metrics.ProgressLine;

/**
 * A training run: rounds until the target, a checkpoint every K rounds and after the last, metrics
 * lines and plots in the output directory, a progress line per round, and {@code --resume} from
 * the newest complete checkpoint.
 *
 * <p>A failure (a non-finite loss, a Spark job that ran out of retries) stops the run before the
 * next checkpoint is written, so the last good checkpoint stays as it was.
 */
public final class DataParallelTrainer<B> {
  private final RoundRunner<B> runner;
  private final DistributedSettings settings;
  private final CheckpointStore checkpoints;
  private final String configJson;
  private final Consumer<String> progress;

  /**
   * @param checkpoints where checkpoints and metrics go (the output directory)
   * @param configJson  the model's config.json, stored with every checkpoint
   * @param progress    receives one progress line per round and a line per checkpoint
   */
  public DataParallelTrainer(RoundRunner<B> runner, DistributedSettings settings, CheckpointStore checkpoints,
      String configJson, Consumer<String> progress) {
    this.runner = runner;
    this.settings = settings;
    this.checkpoints = checkpoints;
    this.configJson = configJson;
    this.progress = progress;
  }

  /**
   * The state to continue from: the newest complete checkpoint in the output directory, or
   * {@code fresh} if there is none. Temporary directories of interrupted writes are removed.
   */
  public TrainingState resumeOrStart(TrainingState fresh) {
    try {
      int abandoned = checkpoints.removeAbandonedWrites();
      if (abandoned > 0) {
        progress.accept("removed " + abandoned + " incomplete checkpoint write(s) in " + checkpoints.directory());
      }
      Optional<Path> latest = checkpoints.latest();
      if (latest.isEmpty()) {
        progress.accept("no complete checkpoint in " + checkpoints.directory() + ": starting at round 0");
        return fresh;
      }
      TrainingState s = checkpoints.load(latest.get());
      if (s.stage() != fresh.stage()) {
        throw new IllegalArgumentException(latest.get() + " is a stage-" + s.stage()
            + " checkpoint but this run is stage " + fresh.stage() + ": use a new --output directory for a new stage");
      }
      s.requireLayout(settings.outerUpdate(), settings.workers());
      progress.accept("resuming from " + latest.get() + " (round " + s.round() + ", step " + s.nextStep() + ")");
      return s;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read checkpoints in " + checkpoints.directory(), e);
    }
  }

  /**
   * Runs rounds from {@code state} until {@code totalRounds} are complete; returns the final state.
   *
   * <p>metrics.jsonl is rewritten at each checkpoint, so it matches the newest checkpoint (the
   * rounds a resume redoes are not in it twice), and once more if the run fails, so the failing
   * run's last rounds can be read; progress lines report every round as it ends.
   */
  public TrainingState train(TrainingState state, long totalRounds) {
    MetricsLog metrics = new MetricsLog(checkpoints.fileSystem(), checkpoints.directory());
    try {
      checkpoints.fileSystem().mkdirs(checkpoints.directory());
      metrics.continueFrom(state.round());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare the output directory " + checkpoints.directory(), e);
    }
    ProgressLine line = new ProgressLine(state.round(), totalRounds);
    try {
      while (state.round() < totalRounds) {
        RoundResult r = runner.run(state);
        state = r.state();
        progress.accept(line.format(metrics.record(r)));
        if (state.round() % settings.checkpointEveryRounds() == 0 || state.round() == totalRounds) {
          Path p = checkpoints.write(state, configJson, settings);
          metrics.writeAll();
          progress.accept("checkpoint " + p);
        }
      }
      return state;
    } catch (IOException e) {
      throw new UncheckedIOException("writing checkpoints or metrics to " + checkpoints.directory() + " failed", e);
    } catch (RuntimeException e) {
      try {
        metrics.writeLines();
      } catch (IOException | RuntimeException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }
}
