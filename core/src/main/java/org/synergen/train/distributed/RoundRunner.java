package org.synergen.train.distributed;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;

/**
 * One data-parallel round on Spark primitives: broadcast, H local steps per partition,
 * treeAggregate, outer update.
 *
 * <p>Traffic: the frozen parameters are broadcast once per job; each round broadcasts the trainable
 * parameters and the inner optimizer state (one shared state for {@code average}; for
 * {@code diloco} one broadcast per worker, of which each task reads only its own). Workers send back
 * only trainable tensors.
 *
 * <p>Determinism: a task's output depends only on the broadcast values, its partition index and the
 * round's step window and its data cursor, and the sum is formed in a fixed tree order ({@link PartitionTreeSum}), so a
 * retried task or a resumed run reproduces the same bits. DiLoCo's per-worker inner state lives on
 * the driver (and in checkpoints), not in executor memory, so it survives lost executors too.
 */
public final class RoundRunner<B> {
  private final JavaSparkContext sc;
  private final LocalTrainer<B> trainer;
  private final DataSlices<B> data;
  private final DistributedSettings settings;
  private TensorSet frozenShipped;
  private Broadcast<TensorSet> frozenBroadcast;

  public RoundRunner(JavaSparkContext sc, LocalTrainer<B> trainer, DataSlices<B> data, DistributedSettings settings) {
    this.sc = sc;
    this.trainer = trainer;
    this.data = data;
    this.settings = settings;
  }

  public RoundResult run(TrainingState s) {
    int workers = settings.workers();
    OuterUpdate mode = settings.outerUpdate();
    s.requireLayout(mode, workers);
    long start = System.nanoTime();

    if (frozenShipped != s.frozen()) {
      // frozen tensors never change within a job: broadcast once, not every round
      if (frozenBroadcast != null) {
        frozenBroadcast.destroy();
      }
      frozenBroadcast = sc.broadcast(s.frozen());
      frozenShipped = s.frozen();
    }
    Broadcast<TensorSet> trainable = sc.broadcast(s.trainable());
    List<Broadcast<OptimizerState>> optimizers = new ArrayList<>();
    for (OptimizerState o : s.optimizers()) {
      optimizers.add(sc.broadcast(o));
    }
    long broadcastCreated = System.nanoTime();

    List<SliceCursor> cursors = IntStream.range(0, workers).mapToObj(s::cursor).toList();
    RoundTask<B> task = new RoundTask<>(trainer, data, frozenBroadcast, trainable, optimizers, cursors,
        new StepWindow(s.round(), 0, workers, s.nextStep(), settings.localSteps(), s.seed()));
    List<Integer> partitions = IntStream.range(0, workers).boxed().toList();
    RoundAggregate agg = sc.parallelize(partitions, workers)
        .mapPartitionsWithIndex(task, true)
        .treeAggregate(new RoundAggregate(mode, workers), RoundAggregate::add, RoundAggregate::merge,
            settings.aggregationDepth());
    long jobDone = System.nanoTime();
    trainable.destroy();
    optimizers.forEach(Broadcast::destroy);

    List<WorkerReport> reports = agg.reports();
    checkFinite(s.round() + 1, s.nextStep(), reports);
    TrainingState next = outerUpdate(s, agg, reports);
    long end = System.nanoTime();

    long slowestRead = 0;
    long slowestCompute = 0;
    long slowestTask = 0;
    for (WorkerReport r : reports) {
      slowestRead = Math.max(slowestRead, r.readNanos());
      slowestCompute = Math.max(slowestCompute, r.computeNanos());
      slowestTask = Math.max(slowestTask, r.readNanos() + r.computeNanos());
    }
    double broadcast = ((broadcastCreated - start) + slowestRead) * 1e-9;
    double aggregate = (Math.max(0, (jobDone - broadcastCreated) - slowestTask) + (end - jobDone)) * 1e-9;
    return new RoundResult(next, reports, new RoundTiming((end - start) * 1e-9, broadcast, slowestCompute * 1e-9, aggregate));
  }

  private TrainingState outerUpdate(TrainingState s, RoundAggregate agg, List<WorkerReport> reports) {
    int workers = settings.workers();
    TensorSet total = agg.total();
    long examples = 0;
    long tokens = 0;
    for (WorkerReport r : reports) {
      examples += r.examples();
      tokens += r.tokens();
    }
    TensorSet trainable;
    List<OptimizerState> optimizers;
    TensorSet momentum = s.outerMomentum();
    if (settings.outerUpdate() == OuterUpdate.AVERAGE) {
      long steps = reports.get(0).optimizerSteps();
      for (WorkerReport r : reports) {
        if (r.optimizerSteps() != steps) {
          throw new IllegalStateException("round " + s.round() + ": workers disagree on the optimizer step count ("
              + steps + " vs " + r.optimizerSteps() + " on partition " + r.partition() + ")");
        }
      }
      trainable = divide(total.underPrefix(RoundAggregate.PARAM), workers);
      optimizers = List.of(new OptimizerState(divide(total.underPrefix(RoundAggregate.OPT), workers), steps));
    } else {
      momentum = momentum.copy();
      trainable = DilocoOuterOptimizer.step(s.trainable(), divide(total, workers), momentum,
          (float) settings.outerLearningRate(), (float) settings.outerMomentum());
      optimizers = agg.optimizers();
    }
    s.trainable().requireSameLayout(trainable, "round " + s.round() + " result");
    return new TrainingState(s.stage(), s.round() + 1, s.nextStep() + settings.localSteps(), s.seed(),
        s.examplesSeen() + examples, s.tokensSeen() + tokens, s.frozen(), trainable, optimizers, momentum, agg.cursors());
  }

  private static TensorSet divide(TensorSet sum, int n) {
    float d = n;
    for (String name : sum.names()) {
      float[] a = sum.get(name);
      for (int i = 0; i < a.length; i++) {
        a[i] /= d;
      }
    }
    return sum;
  }

  /** @param round 1-based, as progress lines, metrics and checkpoint names count */
  private static void checkFinite(long round, long firstStep, List<WorkerReport> reports) {
    for (WorkerReport r : reports) {
      for (int i = 0; i < r.losses().length; i++) {
        if (!Float.isFinite(r.losses()[i])) {
          throw new NonFiniteTrainingException(round, r.partition(), firstStep + i, "loss (" + r.losses()[i] + ")");
        }
        if (i < r.gradNorms().length && !Float.isFinite(r.gradNorms()[i])) {
          throw new NonFiniteTrainingException(round, r.partition(), firstStep + i, "gradient norm (" + r.gradNorms()[i] + ")");
        }
      }
      if (r.nonFiniteTensor() != null) {
        throw new NonFiniteTrainingException(round, r.partition(), firstStep + r.losses().length - 1,
            "parameter '" + r.nonFiniteTensor() + "'");
      }
    }
  }

  /** The Spark task: restore the broadcast state, run the local steps, return plain arrays. */
  private static final class RoundTask<B> implements Function2<Integer, Iterator<Integer>, Iterator<WorkerOutput>> {
    private final LocalTrainer<B> trainer;
    private final DataSlices<B> data;
    private final Broadcast<TensorSet> frozen;
    private final Broadcast<TensorSet> trainable;
    private final List<Broadcast<OptimizerState>> optimizers;
    private final List<SliceCursor> cursors;
    private final StepWindow round;

    RoundTask(LocalTrainer<B> trainer, DataSlices<B> data, Broadcast<TensorSet> frozen, Broadcast<TensorSet> trainable,
        List<Broadcast<OptimizerState>> optimizers, List<SliceCursor> cursors, StepWindow round) {
      this.trainer = trainer;
      this.data = data;
      this.frozen = frozen;
      this.trainable = trainable;
      this.optimizers = optimizers;
      this.cursors = List.copyOf(cursors);
      this.round = round;
    }

    @Override
    public Iterator<WorkerOutput> call(Integer partition, Iterator<Integer> ignored) {
      long t0 = System.nanoTime();
      TensorSet frozenParams = frozen.value();
      OptimizerState optimizer = optimizers.get(optimizers.size() == 1 ? 0 : partition).value();
      // a private copy: in local mode broadcast values are shared objects, and an attempt that
      // changed them in place would corrupt its own retry
      WorkerState start = new WorkerState(trainable.value().copy(), optimizer.copy());
      long t1 = System.nanoTime();
      StepWindow window = new StepWindow(round.round(), partition, round.workers(), round.firstStep(), round.steps(), round.seed());
      Slice<B> batches = data.batches(partition, round.workers(), round.firstStep(), round.steps(), round.seed(),
          cursors.get(partition));
      LocalResult result = trainer.train(frozenParams, start, batches, window);
      long t2 = System.nanoTime();
      return Collections.singletonList(new WorkerOutput(partition, result, batches.cursor(), t1 - t0, t2 - t1,
          firstNonFinite(result.end().trainable()))).iterator();
    }

    private static String firstNonFinite(TensorSet t) {
      for (String name : t.names()) {
        for (float v : t.get(name)) {
          if (!Float.isFinite(v)) {
            return name;
          }
        }
      }
      return null;
    }
  }
}
