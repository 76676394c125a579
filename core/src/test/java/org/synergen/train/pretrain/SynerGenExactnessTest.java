package org.synergen.train.pretrain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import org.synergen.model.ModelCheckpoint;
import org.synergen.train.LearningRateSchedule;
import org.synergen.train.distributed.CrashesInRound;
import org.synergen.train.distributed.OptimizerState;
import org.synergen.train.freeze.TrainableSet;
import org.synergen.train.optim.AdamW;
import org.synergen.train.optim.GradientClipping;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkException;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.synergen.io.Safetensors;
import org.synergen.io.hf.HfCheckpoint;
import org.synergen.io.hf.HfConfig;
import org.synergen.model.SynerGenModel;
import org.synergen.model.nn.Execution;
import org.synergen.train.checkpoint.CheckpointStore;
import org.synergen.train.checkpoint.SafetensorsCodec;
import org.synergen.data.TokenShardRow;
import org.synergen.data.TokenShardWriter;
import org.synergen.train.data.StepBatches;
import org.synergen.train.data.SyntheticSamples;
import org.synergen.train.data.TokenShardSamples;
import org.synergen.train.data.TokenShardSlices;
import org.synergen.train.distributed.DataParallelTrainer;
import org.synergen.train.distributed.DistributedSettings;
import org.synergen.train.distributed.LocalResult;
import org.synergen.train.distributed.LocalTrainer;
import org.synergen.train.distributed.RoundRunner;
import org.synergen.train.distributed.Slice;
import org.synergen.train.distributed.SliceCursor;
import org.synergen.train.distributed.StepWindow;
import org.synergen.train.distributed.StreamPosition;
import org.synergen.train.distributed.TensorSet;
import org.synergen.train.distributed.TrainingState;
import org.synergen.train.distributed.WorkerState;
import org.synergen.train.distributed.toy.ToySetup;
import org.synergen.train.freeze.FreezePolicy;
import org.synergen.train.freeze.TrainableTensors;

/** The round protocol's exactness promises, re-proven with the real model (tiny config, stage 1). */
class SynerGenExactnessTest {
  /** A stage-1 trainable tensor (vision expert of layer 0). */
  private static final String MOVES = "model.layers.0.vision_mlp.up_proj.weight";
  private static JavaSparkContext sc;
  private final TokenShardSlices data = TinyPretrain.data();
  private final SynerGenLocalTrainer trainer = TinyPretrain.trainer(FreezePolicy.STAGE1, 1e-2);
  private final TrainingState start = TinyPretrain.start(1, SynerGenModel.create(TinyPretrain.CFG, 11).parameters(), trainer, 2);
  @TempDir Path tmp;

  @BeforeAll
  static void spark() {
    sc = ToySetup.spark(2, 2);
  }

  @AfterAll
  static void stop() {
    sc.stop();
  }

  /**
   * Plain single-process training, written out here: SynerGenModel, the step's two task losses
   * summed, global-norm clipping, AdamW; the model never leaves this loop.
   */
  @Test
  void averageWithOneWorkerAndOneLocalStepIsPlainTrainingStepForStep() {
    Map<String, INDArray> init = SynerGenModel.create(TinyPretrain.CFG, 11).parameters();
    TrainingState s = TinyPretrain.start(1, init, trainer, 1);
    RoundRunner<StepBatches> runner = new RoundRunner<>(sc, trainer, data, TinyPretrain.settings(1, 1));

    TrainableSet set = trainer.trainableSet();
    SynerGenModel plain = SynerGenModel.fromParameters(TinyPretrain.CFG, TinyPretrain.model(s, trainer).parameters());
    plain.setTrainable(set::trains);
    OptimizerSettings o = TinyPretrain.OPTIMIZER;
    AdamW adamw = new AdamW(o.beta1(), o.beta2(), o.eps(), o.weightDecay());
    LearningRateSchedule lr = TinyPretrain.schedule(1e-2);
    SliceCursor cursor = SliceCursor.START;
    for (int step = 0; step < 4; step++) {
      Slice<StepBatches> slice = data.batches(0, 1, step, 1, TinyPretrain.SEED, cursor);
      StepBatches batch = slice.next();
      cursor = slice.cursor();
      plain.forwardBackward(batch.understanding(), o.imageLossWeight());
      Map<String, INDArray> grads = new LinkedHashMap<>();
      plain.gradients().forEach((name, g) -> grads.put(name, g.dup()));
      plain.forwardBackward(batch.generation(), o.imageLossWeight());
      plain.gradients().forEach((name, g) -> grads.get(name).addi(g));
      GradientClipping.clip(grads, set, o.gradClip());
      adamw.step(plain.parameters(), grads, set, lr.at(step));

      s = runner.run(s).state();
      Map<String, INDArray> distributed = TinyPretrain.model(s, trainer).parameters();
      for (String name : TinyPretrain.names()) {
        assertArrayEquals(TrainableTensors.floats(plain.parameters().get(name)), TrainableTensors.floats(distributed.get(name)),
            "step " + step + ": " + name);
      }
    }
    assertFalse(Arrays.equals(TrainableTensors.floats(init.get(MOVES)), TrainableTensors.floats(plain.parameters().get(MOVES))),
        "training moved nothing");
  }

  @Test
  void averageWithTwoWorkersIsTheMeanOfWhatEachWorkerComputesAlone() {
    int h = 2;
    TrainingState s = rounds(trainer, 2);
    WorkerState byHand = new WorkerState(start.trainable(), OptimizerState.fresh());
    SliceCursor[] cursors = {SliceCursor.START, SliceCursor.START};
    for (int round = 0; round < 2; round++) {
      List<WorkerState> ends = new ArrayList<>();
      for (int p = 0; p < 2; p++) {
        long first = (long) round * h;
        Slice<StepBatches> slice = data.batches(p, 2, first, h, TinyPretrain.SEED, cursors[p]);
        ends.add(trainer.train(start.frozen(), byHand.copy(), slice, new StepWindow(round, p, 2, first, h, TinyPretrain.SEED)).end());
        cursors[p] = slice.cursor();
      }
      byHand = new WorkerState(mean(ends.get(0).trainable(), ends.get(1).trainable()),
          new OptimizerState(mean(ends.get(0).optimizer().tensors(), ends.get(1).optimizer().tensors()), (round + 1L) * h));
    }
    assertClose(byHand.trainable(), s.trainable(), "parameters");
    assertClose(byHand.optimizer().tensors(), s.optimizers().get(0).tensors(), "AdamW moments");
    assertEquals(2L * h, s.optimizers().get(0).steps());
  }

  private static TensorSet mean(TensorSet a, TensorSet b) {
    TensorSet m = new TensorSet();
    for (String name : a.names()) {
      float[] x = a.get(name);
      float[] y = b.get(name);
      float[] z = new float[x.length];
      for (int i = 0; i < z.length; i++) {
        z[i] = (x[i] + y[i]) / 2;
      }
      m.put(name, a.shape(name), z);
    }
    return m;
  }

  /** Equal up to float rounding of the sum's order (relative 1e-5 of the tensor's scale). */
  private static void assertClose(TensorSet expected, TensorSet actual, String what) {
    assertEquals(expected.names(), actual.names(), what);
    for (String name : expected.names()) {
      float[] e = expected.get(name);
      float[] a = actual.get(name);
      double scale = 1e-12;
      for (float v : e) {
        scale = Math.max(scale, Math.abs(v));
      }
      for (int i = 0; i < e.length; i++) {
        assertEquals(e[i], a[i], 1e-5 * scale, what + " " + name + "[" + i + "]");
      }
    }
  }

  /** Fails the first attempt of partition 1 in round 1 after one of its steps; counts injections. */
  static final class FailsFirstAttempt implements LocalTrainer<StepBatches> {
    static final AtomicInteger INJECTED = new AtomicInteger();
    private final LocalTrainer<StepBatches> delegate;

    FailsFirstAttempt(LocalTrainer<StepBatches> delegate) {
      this.delegate = delegate;
    }

    @Override
    public LocalResult train(TensorSet frozen, WorkerState start, Iterator<StepBatches> batches, StepWindow w) {
      boolean fail = w.round() == 1 && w.partition() == 1 && TaskContext.get().attemptNumber() == 0;
      Iterator<StepBatches> source = !fail ? batches : new Iterator<>() {
        int taken;

        @Override
        public boolean hasNext() {
          return batches.hasNext();
        }

        @Override
        public StepBatches next() {
          if (taken++ == 1) {
            INJECTED.incrementAndGet();
            throw new IllegalStateException("injected failure in the middle of a round");
          }
          return batches.next();
        }
      };
      return delegate.train(frozen, start, source, w);
    }
  }

  private TrainingState rounds(LocalTrainer<StepBatches> local, int n) {
    RoundRunner<StepBatches> runner = new RoundRunner<>(sc, local, data, TinyPretrain.settings(2, 2));
    TrainingState s = start;
    for (int r = 0; r < n; r++) {
      s = runner.run(s).state();
    }
    return s;
  }

  @Test
  void aTaskThatFailsMidRoundIsRetriedAndTheResultIsBitIdentical() {
    TrainingState clean = rounds(trainer, 2);
    int before = FailsFirstAttempt.INJECTED.get();
    TrainingState retried = rounds(new FailsFirstAttempt(trainer), 2);
    assertEquals(before + 1, FailsFirstAttempt.INJECTED.get(), "the failure was injected once");
    assertTrue(clean.trainable().bitEquals(retried.trainable()), "parameters differ after a retry");
    assertTrue(clean.optimizers().get(0).tensors().bitEquals(retried.optimizers().get(0).tensors()), "AdamW moments");
    assertEquals(4, retried.optimizers().get(0).steps());
  }

  /** train.execution.activation-checkpointing recomputes each layer in backward: the same bits come out. */
  @Test
  void activationCheckpointingTrainsBitIdentical() {
    TrainingState plain = rounds(trainer, 2);
    TrainingState checkpointed = rounds(TinyPretrain.trainer(FreezePolicy.STAGE1, 1e-2,
        Execution.DEFAULT.withCheckpointLayers(true)), 2);
    assertTrue(plain.trainable().bitEquals(checkpointed.trainable()), "parameters differ with checkpointing");
    assertTrue(plain.optimizers().get(0).tensors().bitEquals(checkpointed.optimizers().get(0).tensors()), "AdamW moments");
    assertFalse(plain.trainable().bitEquals(start.trainable()), "training moved nothing");
    // the execution reaches the workers' model: dense attention rounds differently from blockwise
    // (the two kernels' equality is ExecutionTest's)
    TrainingState dense = rounds(TinyPretrain.trainer(FreezePolicy.STAGE1, 1e-2,
        Execution.DEFAULT.withDenseAttention(true)), 2);
    assertFalse(plain.trainable().bitEquals(dense.trainable()), "the trainer ignored its execution settings");
  }

  private DataParallelTrainer<StepBatches> job(Path out, LocalTrainer<StepBatches> local, List<String> progress) {
    return job(out, local, progress, data);
  }

  private DataParallelTrainer<StepBatches> job(Path out, LocalTrainer<StepBatches> local, List<String> progress,
      TokenShardSlices input) {
    DistributedSettings settings = TinyPretrain.settings(2, 2);
    CheckpointStore store = new CheckpointStore(out.toUri().toString(), new Configuration(), new SafetensorsCodec(),
        new SynerGenCheckpointLayout(TinyPretrain.CFG, trainer.trainableSet()));
    String config = HfConfig.toJson(TinyPretrain.CFG, Safetensors.DType.F32).toString();
    return new DataParallelTrainer<>(new RoundRunner<>(sc, local, input, settings), settings, store, config, progress::add);
  }

  @Test
  void aRunKilledMidEpochOnTokenShardsResumesBitIdentical() throws IOException {
    // 4 shard files, 2 per worker: 24 samples per task and worker, ~6 per packed row, 1 row per
    // step: an epoch is ~4 steps; shuffle blocks of 5 samples, so the cut lands inside a block
    Path shards = Files.createDirectories(tmp.resolve("tokens"));
    List<TokenShardRow> rows = SyntheticSamples.rows(TinyPretrain.CFG, 48, 4, 8, 3);
    for (int f = 0; f < 4; f++) {
      try (TokenShardWriter w = new TokenShardWriter(
          new org.apache.hadoop.fs.Path(shards.resolve("0000" + f + ".parquet").toUri()), new Configuration())) {
        for (int i = f; i < rows.size(); i += 4) {
          w.write(rows.get(i));
        }
      }
    }
    TokenShardSlices input = new TokenShardSlices(new TokenShardSamples(shards.toString(), new Configuration()),
        TinyPretrain.CFG.vision(), TinyPretrain.SEQ, 1, 5);

    Path straight = Files.createDirectories(tmp.resolve("straight"));
    TrainingState uninterrupted = job(straight, trainer, new ArrayList<>(), input).train(start, 5);
    Path out = Files.createDirectories(tmp.resolve("resumed"));
    List<String> progress = new ArrayList<>();
    assertThrows(SparkException.class, () -> job(out, new CrashesInRound<>(1, trainer), progress, input).train(start, 5));
    CheckpointStore store = new CheckpointStore(out.toUri().toString(), new Configuration(), new SafetensorsCodec());
    StreamPosition cut = store.readTrainerState(store.latest().orElseThrow()).dataCursor().workers().get(0)
        .of(TokenShardRow.UNDERSTANDING);
    assertEquals(0, cut.epoch(), "the kill comes in the first epoch");
    assertTrue(cut.taken() > 0 && cut.taken() < 5, "and inside a shuffle block: " + cut);
    DataParallelTrainer<StepBatches> again = job(out, trainer, progress, input);
    TrainingState end = again.train(again.resumeOrStart(start), 5);
    assertTrue(end.cursor(0).of(TokenShardRow.UNDERSTANDING).epoch() >= 1, "the run went on into the next epoch");

    assertEquals(uninterrupted.cursors(), end.cursors(), "data cursors");
    assertTrue(uninterrupted.trainable().bitEquals(end.trainable()), "parameters");
    assertTrue(uninterrupted.optimizers().get(0).tensors().bitEquals(end.optimizers().get(0).tensors()), "AdamW moments");
    for (String file : List.of(CheckpointStore.MODEL, CheckpointStore.OPTIMIZER, CheckpointStore.TRAINER_STATE)) {
      assertArrayEquals(Files.readAllBytes(straight.resolve("checkpoint-00000005").resolve(file)),
          Files.readAllBytes(out.resolve("checkpoint-00000005").resolve(file)), file);
    }
  }

  @Test
  void aRunStoppedAfterACheckpointAndResumedEndsBitIdentical() throws IOException {
    Path straight = Files.createDirectories(tmp.resolve("straight"));
    TrainingState uninterrupted = job(straight, trainer, new ArrayList<>()).train(start, 3);

    Path out = Files.createDirectories(tmp.resolve("resumed"));
    List<String> progress = new ArrayList<>();
    assertThrows(SparkException.class, () -> job(out, new CrashesInRound<>(2, trainer), progress).train(start, 3));
    assertTrue(Files.exists(out.resolve("checkpoint-00000002")));
    DataParallelTrainer<StepBatches> again = job(out, trainer, progress);
    TrainingState resumed = again.resumeOrStart(start);
    assertEquals(2, resumed.round());
    TrainingState end = again.train(resumed, 3);

    assertTrue(uninterrupted.trainable().bitEquals(end.trainable()), "parameters");
    assertTrue(uninterrupted.frozen().bitEquals(end.frozen()), "frozen tensors");
    assertTrue(uninterrupted.optimizers().get(0).tensors().bitEquals(end.optimizers().get(0).tensors()), "AdamW moments");
    for (String file : List.of(CheckpointStore.MODEL, CheckpointStore.OPTIMIZER)) {
      assertArrayEquals(Files.readAllBytes(straight.resolve("checkpoint-00000003").resolve(file)),
          Files.readAllBytes(out.resolve("checkpoint-00000003").resolve(file)), file);
    }

    // the checkpoint directory is a HF-layout model checkpoint: HfCheckpoint reads it back exactly
    ModelCheckpoint.Loaded loaded = ModelCheckpoint.load(out.resolve("checkpoint-00000003"));
    assertEquals(TinyPretrain.CFG, loaded.config());
    Map<String, INDArray> expected = TrainableTensors.merge(end.frozen(), end.trainable(), trainer.trainableSet(), TinyPretrain.names());
    for (String name : TinyPretrain.names()) {
      assertArrayEquals(TrainableTensors.floats(expected.get(name)), TrainableTensors.floats(loaded.parameters().get(name)), name);
    }
  }
}
