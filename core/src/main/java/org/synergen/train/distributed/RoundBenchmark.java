package org.synergen.train.distributed;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Measures rounds for several H: throughput, and the share of round time spent moving state
 * (broadcast + aggregate) rather than computing. Model-agnostic: give it any local trainer.
 */
public final class RoundBenchmark {
  /**
   * @param localSteps     H
   * @param workers        workers per round
   * @param roundSeconds   median round wall time
   * @param examplesPerSec examples over all workers / wall time (medians of the measured rounds)
   * @param tokensPerSec   tokens over all workers / wall time
   * @param broadcastShare broadcast time / round time
   * @param aggregateShare aggregate time / round time
   */
  public record Row(int localSteps, int workers, double roundSeconds, double examplesPerSec, double tokensPerSec,
      double broadcastShare, double aggregateShare) {}

  private RoundBenchmark() {}

  /** Runs {@code warmup} unmeasured then {@code rounds} measured rounds for each H, from {@code start}. */
  public static <B> List<Row> run(JavaSparkContext sc, LocalTrainer<B> trainer, DataSlices<B> data,
      TrainingState start, DistributedSettings base, int[] localSteps, int warmup, int rounds) {
    List<Row> rows = new ArrayList<>();
    for (int h : localSteps) {
      DistributedSettings s = new DistributedSettings(base.outerUpdate(), base.workers(), h, base.checkpointEveryRounds(),
          base.outerLearningRate(), base.outerMomentum(), base.aggregationDepth());
      RoundRunner<B> runner = new RoundRunner<>(sc, trainer, data, s);
      TrainingState state = start;
      List<double[]> measured = new ArrayList<>();
      for (int r = 0; r < warmup + rounds; r++) {
        RoundResult res = runner.run(state);
        state = res.state();
        if (r >= warmup) {
          long ex = 0;
          long tok = 0;
          for (WorkerReport w : res.reports()) {
            ex += w.examples();
            tok += w.tokens();
          }
          RoundTiming t = res.timing();
          measured.add(new double[] {t.wall(), ex / t.wall(), tok / t.wall(), t.broadcast() / t.wall(), t.aggregate() / t.wall()});
        }
      }
      rows.add(new Row(h, s.workers(), median(measured, 0), median(measured, 1), median(measured, 2),
          median(measured, 3), median(measured, 4)));
    }
    return rows;
  }

  public static String table(List<Row> rows) {
    StringBuilder b = new StringBuilder(
        "| H | workers | round s | examples/s | tokens/s | broadcast % | aggregate % | broadcast + aggregate % |\n"
            + "|---|---|---|---|---|---|---|---|\n");
    for (Row r : rows) {
      b.append(String.format(Locale.ROOT, "| %d | %d | %.3f | %.1f | %.0f | %.1f | %.1f | %.1f |%n", r.localSteps(), r.workers(),
          r.roundSeconds(), r.examplesPerSec(), r.tokensPerSec(), 100 * r.broadcastShare(), 100 * r.aggregateShare(),
          100 * (r.broadcastShare() + r.aggregateShare())));
    }
    return b.toString();
  }

  private static double median(List<double[]> rows, int column) {
    double[] v = rows.stream().mapToDouble(r -> r[column]).sorted().toArray();
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }
}
