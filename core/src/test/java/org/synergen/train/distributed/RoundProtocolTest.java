package org.synergen.train.distributed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.synergen.train.distributed.toy.ToyBatch;
import org.synergen.train.distributed.toy.ToySetup;

/** The round protocol against hand-computed expectations, in Spark local mode with task retries. */
class RoundProtocolTest {
  private static JavaSparkContext sc;
  private final ToySetup toy = ToySetup.small();

  @BeforeAll
  static void spark() {
    sc = ToySetup.spark(2, 4);
  }

  @AfterAll
  static void stop() {
    sc.stop();
  }

  private TrainingState rounds(DistributedSettings settings, LocalTrainer<ToyBatch> trainer, int n) {
    RoundRunner<ToyBatch> runner = new RoundRunner<>(sc, trainer, toy.data, settings);
    TrainingState s = toy.start(settings.outerUpdate(), settings.workers());
    for (int i = 0; i < n; i++) {
      s = runner.run(s).state();
    }
    return s;
  }

  /** What worker p computes in a round, run directly (no Spark). */
  private LocalResult local(TensorSet frozen, WorkerState start, int p, int workers, long firstStep, int steps) {
    return toy.trainer.train(frozen, start.copy(), toy.data.batches(p, workers, firstStep, steps, ToySetup.SEED, SliceCursor.START),
        new StepWindow(firstStep / steps, p, workers, firstStep, steps, ToySetup.SEED));
  }

  @Test
  void averageWithOneWorkerAndOneLocalStepIsPlainTrainingStepForStep() {
    TrainingState start = toy.start(OuterUpdate.AVERAGE, 1);
    RoundRunner<ToyBatch> runner = new RoundRunner<>(sc, toy.trainer, toy.data, ToySetup.settings(OuterUpdate.AVERAGE, 1, 1, 1));
    // plain training: one process, one optimizer step per batch, state never leaves the loop
    WorkerState plain = new WorkerState(start.trainable().copy(), OptimizerState.fresh());
    TrainingState s = start;
    for (int step = 0; step < 6; step++) {
      plain = local(start.frozen(), plain, 0, 1, step, 1).end();
      s = runner.run(s).state();
      assertTrue(plain.trainable().bitEquals(s.trainable()), "parameters differ after step " + step);
      assertTrue(plain.optimizer().tensors().bitEquals(s.optimizers().get(0).tensors()), "AdamW moments differ after step " + step);
      assertEquals(step + 1, s.optimizers().get(0).steps());
    }
    assertFalse(start.trainable().bitEquals(s.trainable()), "training moved nothing");
  }

  @Test
  void averageWithSeveralWorkersIsTheMeanOfParametersAndAdamMoments() {
    int workers = 3;
    int h = 3;
    TrainingState s = rounds(ToySetup.settings(OuterUpdate.AVERAGE, workers, h, 1), toy.trainer, 2);

    TrainingState start = toy.start(OuterUpdate.AVERAGE, workers);
    WorkerState byHand = new WorkerState(start.trainable(), OptimizerState.fresh());
    WorkerState resetMoments = null;
    for (int round = 0; round < 2; round++) {
      if (round == 1) {
        resetMoments = mean(List.of(local(start.frozen(), new WorkerState(byHand.trainable(), OptimizerState.fresh()), 0, workers, h, h)));
      }
      List<LocalResult> results = new ArrayList<>();
      for (int p = 0; p < workers; p++) {
        results.add(local(start.frozen(), byHand, p, workers, (long) round * h, h));
      }
      byHand = mean(results);
    }
    assertClose(byHand.trainable(), s.trainable(), "parameters");
    assertClose(byHand.optimizer().tensors(), s.optimizers().get(0).tensors(), "AdamW moments");
    assertEquals(2L * h, s.optimizers().get(0).steps());
    assertEquals(2L * h, s.nextStep());
    // the comparison is sharp enough to notice moments reset between rounds
    assertFalse(close(resetMoments.trainable(), s.trainable()));
  }

  @Test
  void dilocoFollowsTheNesterovOuterStepWithPerWorkerInnerState() {
    int workers = 2;
    int h = 4;
    double lr = 0.7;
    double mu = 0.9;
    TrainingState s = rounds(ToySetup.settings(OuterUpdate.DILOCO, workers, h, 1), toy.trainer, 2);

    TrainingState start = toy.start(OuterUpdate.DILOCO, workers);
    TensorSet theta = start.trainable();
    List<OptimizerState> inner = new ArrayList<>(List.of(OptimizerState.fresh(), OptimizerState.fresh()));
    double[][] momentum = null;
    for (int round = 0; round < 2; round++) {
      List<TensorSet> ends = new ArrayList<>();
      for (int p = 0; p < workers; p++) {
        LocalResult r = local(start.frozen(), new WorkerState(theta, inner.get(p)), p, workers, (long) round * h, h);
        ends.add(r.end().trainable());
        inner.set(p, r.end().optimizer());
      }
      // delta = mean(theta_prev - theta_i); m = mu m + delta; theta = theta_prev - lr (delta + mu m), in double
      TensorSet next = new TensorSet();
      List<String> names = theta.names();
      if (momentum == null) {
        momentum = new double[names.size()][];
      }
      for (int t = 0; t < names.size(); t++) {
        float[] prev = theta.get(names.get(t));
        if (momentum[t] == null) {
          momentum[t] = new double[prev.length];
        }
        float[] out = new float[prev.length];
        for (int i = 0; i < prev.length; i++) {
          double delta = 0;
          for (TensorSet e : ends) {
            delta += (prev[i] - e.get(names.get(t))[i]) / (double) workers;
          }
          momentum[t][i] = mu * momentum[t][i] + delta;
          out[i] = (float) (prev[i] - lr * (delta + mu * momentum[t][i]));
        }
        next.put(names.get(t), theta.shape(names.get(t)), out);
      }
      theta = next;
    }
    assertClose(theta, s.trainable(), "DiLoCo parameters");
    for (int p = 0; p < workers; p++) {
      // each worker's inner AdamW state is its own, not an average (close, not equal: round 2
      // started from the hand-computed theta, which was formed in double precision)
      assertClose(inner.get(p).tensors(), s.optimizers().get(p).tensors(), "inner state of worker " + p);
      assertEquals(2L * h, s.optimizers().get(p).steps());
    }
    assertFalse(s.optimizers().get(0).tensors().bitEquals(s.optimizers().get(1).tensors()));
  }

  /** Fails the first attempt of partition 1's task in round 1 after it has taken two steps. */
  static final class FailsFirstAttempt implements LocalTrainer<ToyBatch> {
    static final AtomicInteger INJECTED = new AtomicInteger();
    private final LocalTrainer<ToyBatch> delegate;

    FailsFirstAttempt(LocalTrainer<ToyBatch> delegate) {
      this.delegate = delegate;
    }

    @Override
    public LocalResult train(TensorSet frozen, WorkerState start, Iterator<ToyBatch> batches, StepWindow w) {
      boolean fail = w.round() == 1 && w.partition() == 1 && TaskContext.get().attemptNumber() == 0;
      Iterator<ToyBatch> source = !fail ? batches : new Iterator<>() {
        int taken;

        @Override
        public boolean hasNext() {
          return batches.hasNext();
        }

        @Override
        public ToyBatch next() {
          if (taken++ == 2) {
            INJECTED.incrementAndGet();
            throw new IllegalStateException("injected failure in the middle of a round");
          }
          return batches.next();
        }
      };
      return delegate.train(frozen, start, source, w);
    }
  }

  @Test
  void aTaskThatFailsMidRoundIsRetriedAndTheResultIsIdentical() {
    for (OuterUpdate mode : OuterUpdate.values()) {
      DistributedSettings settings = ToySetup.settings(mode, 2, 4, 1);
      TrainingState clean = rounds(settings, toy.trainer, 3);
      int before = FailsFirstAttempt.INJECTED.get();
      TrainingState retried = rounds(settings, new FailsFirstAttempt(toy.trainer), 3);
      assertEquals(before + 1, FailsFirstAttempt.INJECTED.get(), "the failure was injected once");
      assertTrue(clean.trainable().bitEquals(retried.trainable()), mode + ": parameters differ after a retry");
      for (int i = 0; i < clean.optimizers().size(); i++) {
        assertTrue(clean.optimizers().get(i).tensors().bitEquals(retried.optimizers().get(i).tensors()), mode + ": optimizer");
      }
      assertTrue(clean.outerMomentum().bitEquals(retried.outerMomentum()), mode + ": outer momentum");
    }
  }

  @Test
  void frozenParametersAreNotShippedBack() {
    RoundRunner<ToyBatch> runner = new RoundRunner<>(sc, toy.trainer, toy.data, ToySetup.settings(OuterUpdate.AVERAGE, 2, 1, 1));
    TrainingState start = toy.start(OuterUpdate.AVERAGE, 2);
    TrainingState next = runner.run(start).state();
    assertEquals(start.trainable().names(), next.trainable().names());
    assertTrue(next.frozen() == start.frozen(), "frozen tensors stay the driver's own");
    assertTrue(next.optimizers().get(0).tensors().names().stream().noneMatch(n -> n.contains("input.scale")));
  }

  static WorkerState mean(List<LocalResult> results) {
    TensorSet params = meanOf(results.stream().map(r -> r.end().trainable()).toList());
    TensorSet moments = meanOf(results.stream().map(r -> r.end().optimizer().tensors()).toList());
    return new WorkerState(params, new OptimizerState(moments, results.get(0).end().optimizer().steps()));
  }

  static TensorSet meanOf(List<TensorSet> sets) {
    TensorSet m = new TensorSet();
    for (String name : sets.get(0).names()) {
      float[] out = new float[sets.get(0).get(name).length];
      for (int i = 0; i < out.length; i++) {
        double sum = 0;
        for (TensorSet s : sets) {
          sum += s.get(name)[i];
        }
        out[i] = (float) (sum / sets.size());
      }
      m.put(name, sets.get(0).shape(name), out);
    }
    return m;
  }

  private static boolean close(TensorSet expected, TensorSet actual) {
    for (String name : expected.names()) {
      float[] e = expected.get(name);
      float[] a = actual.get(name);
      for (int i = 0; i < e.length; i++) {
        if (Math.abs(e[i] - a[i]) > 1e-6 + 1e-5 * Math.abs(e[i])) {
          return false;
        }
      }
    }
    return true;
  }

  private static void assertClose(TensorSet expected, TensorSet actual, String what) {
    assertEquals(expected.names().stream().sorted().toList(), actual.names().stream().sorted().toList(), what);
    for (String name : expected.names()) {
      float[] e = expected.get(name);
      float[] a = actual.get(name);
      assertArrayEquals(expected.shape(name), actual.shape(name));
      for (int i = 0; i < e.length; i++) {
        assertEquals(e[i], a[i], 1e-6 + 1e-5 * Math.abs(e[i]), what + " " + name + "[" + i + "]");
      }
    }
  }
}
