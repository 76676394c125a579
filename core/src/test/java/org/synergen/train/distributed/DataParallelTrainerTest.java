package org.synergen.train.distributed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkException;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.synergen.train.checkpoint.CheckpointStore;
import org.synergen.train.checkpoint.SafetensorsCodec;
import org.synergen.train.distributed.toy.ToyBatch;
import org.synergen.train.distributed.toy.ToySetup;
import org.synergen.train.metrics.MetricsLog;
import org.synergen.train.metrics.MetricsPlots;

/** Whole runs: checkpoints, resume, metrics, and stopping on non-finite values. */
class DataParallelTrainerTest {
  private static JavaSparkContext sc;
  private final ToySetup toy = ToySetup.small();
  @TempDir java.nio.file.Path tmp;

  @BeforeAll
  static void spark() {
    sc = ToySetup.spark(2, 2);
  }

  @AfterAll
  static void stop() {
    sc.stop();
  }

  private DataParallelTrainer<ToyBatch> trainer(java.nio.file.Path out, DistributedSettings settings,
      LocalTrainer<ToyBatch> local, List<String> progress) {
    CheckpointStore store = new CheckpointStore(out.toUri().toString(), new Configuration(), new SafetensorsCodec());
    return new DataParallelTrainer<>(new RoundRunner<>(sc, local, toy.data, settings), settings, store,
        "{\"model_type\":\"toy\"}", progress::add);
  }

  @Test
  void aRunStoppedAfterACheckpointAndResumedEndsBitIdentical() throws IOException {
    for (OuterUpdate mode : OuterUpdate.values()) {
      DistributedSettings settings = ToySetup.settings(mode, 2, 2, 2);
      java.nio.file.Path straight = Files.createDirectories(tmp.resolve(mode + "-straight"));
      TrainingState uninterrupted = trainer(straight, settings, toy.trainer, new ArrayList<>())
          .train(toy.start(mode, 2), 6);

      java.nio.file.Path out = Files.createDirectories(tmp.resolve(mode + "-resumed"));
      List<String> progress = new ArrayList<>();
      assertThrows(SparkException.class, () -> trainer(out, settings, new CrashesInRound<>(4, toy.trainer), progress)
          .train(toy.start(mode, 2), 6));
      assertTrue(Files.exists(out.resolve("checkpoint-00000004")));
      assertTrue(Files.notExists(out.resolve("checkpoint-00000005")));

      DataParallelTrainer<ToyBatch> again = trainer(out, settings, toy.trainer, progress);
      TrainingState resumed = again.resumeOrStart(toy.start(mode, 2));
      assertEquals(4, resumed.round());
      TrainingState end = again.train(resumed, 6);

      assertTrue(uninterrupted.trainable().bitEquals(end.trainable()), mode + ": parameters");
      assertTrue(uninterrupted.frozen().bitEquals(end.frozen()), mode + ": frozen");
      for (int i = 0; i < end.optimizers().size(); i++) {
        assertTrue(uninterrupted.optimizers().get(i).tensors().bitEquals(end.optimizers().get(i).tensors()), mode + ": optimizer");
      }
      assertTrue(uninterrupted.outerMomentum().bitEquals(end.outerMomentum()), mode + ": momentum");
      // the final checkpoints on disk are the same bytes too
      assertArrayEquals(Files.readAllBytes(straight.resolve("checkpoint-00000006").resolve(CheckpointStore.MODEL)),
          Files.readAllBytes(out.resolve("checkpoint-00000006").resolve(CheckpointStore.MODEL)));
      assertArrayEquals(Files.readAllBytes(straight.resolve("checkpoint-00000006").resolve(CheckpointStore.OPTIMIZER)),
          Files.readAllBytes(out.resolve("checkpoint-00000006").resolve(CheckpointStore.OPTIMIZER)));

      // every round once in metrics.jsonl, the resumed ones included
      List<String> lines = Files.readAllLines(out.resolve(MetricsLog.FILE));
      List<Long> rounds = new ArrayList<>();
      for (String l : lines) {
        rounds.add(new ObjectMapper().readTree(l).get("round").asLong());
      }
      assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L), rounds, mode.toString());
      assertTrue(progress.stream().anyMatch(p -> p.startsWith("resuming from ")), String.join("\n", progress));
    }
  }

  @Test
  void metricsLinesAndPlotsAreWrittenNextToTheCheckpoints() throws IOException {
    List<String> progress = new ArrayList<>();
    trainer(tmp, ToySetup.settings(OuterUpdate.AVERAGE, 2, 3, 2), toy.trainer, progress).train(toy.start(OuterUpdate.AVERAGE, 2), 5);
    List<String> lines = Files.readAllLines(tmp.resolve(MetricsLog.FILE));
    assertEquals(5, lines.size());
    JsonNode first = new ObjectMapper().readTree(lines.get(0));
    JsonNode last = new ObjectMapper().readTree(lines.get(4));
    assertEquals(2, first.get("loss_per_worker").size());
    assertTrue(first.get("loss_per_task").has("regression"));
    assertEquals(3 * 2 * 4, first.get("examples").asLong(), "H steps x workers x batch");
    assertTrue(first.get("time_s").get("wall").asDouble() > 0);
    assertTrue(first.get("grad_norm").asDouble() > 0);
    assertTrue(last.get("loss").asDouble() < first.get("loss").asDouble(), "the toy regression learns");
    for (String png : List.of(MetricsPlots.LOSS, MetricsPlots.THROUGHPUT)) {
      assertTrue(ImageIO.read(tmp.resolve(png).toFile()).getWidth() > 100, png);
    }
    // checkpoints after rounds 2 and 4, and after the last one
    for (String c : List.of("checkpoint-00000002", "checkpoint-00000004", "checkpoint-00000005")) {
      assertTrue(Files.exists(tmp.resolve(c).resolve(CheckpointStore.COMPLETE)), c);
    }
    assertTrue(progress.stream().anyMatch(p -> p.matches("stage 1 round 5/5 step 15 .*loss .*ex/s.*ETA.*")), String.join("\n", progress));
  }

  /** Feeds partition 1 a NaN in the batch of global step 5. */
  static final class PoisonedData implements DataSlices<ToyBatch> {
    private final DataSlices<ToyBatch> delegate;

    PoisonedData(DataSlices<ToyBatch> delegate) {
      this.delegate = delegate;
    }

    @Override
    public Slice<ToyBatch> batches(int partition, int workers, long firstStep, int steps, long seed, SliceCursor from) {
      List<ToyBatch> list = new ArrayList<>();
      delegate.batches(partition, workers, firstStep, steps, seed, from).forEachRemaining(list::add);
      for (int s = 0; s < steps; s++) {
        if (partition == 1 && firstStep + s == 5) {
          list.get(s).x()[0] = Float.NaN;
        }
      }
      return Slice.of(list.iterator(), from);
    }
  }

  @Test
  void aNonFiniteLossStopsTheRunNamingRoundPartitionAndStepAndKeepsTheLastCheckpoint() throws IOException {
    DistributedSettings settings = ToySetup.settings(OuterUpdate.AVERAGE, 2, 2, 2);
    CheckpointStore store = new CheckpointStore(tmp.toUri().toString(), new Configuration(), new SafetensorsCodec());
    DataParallelTrainer<ToyBatch> t = new DataParallelTrainer<>(
        new RoundRunner<>(sc, toy.trainer, new PoisonedData(toy.data), settings), settings, store, "{}", s -> {});
    NonFiniteTrainingException e = assertThrows(NonFiniteTrainingException.class, () -> t.train(toy.start(OuterUpdate.AVERAGE, 2), 6));
    assertEquals(3, e.round(), "steps 4 and 5 are the third round");
    assertEquals(1, e.partition());
    assertEquals(5, e.step());
    assertTrue(e.getMessage().contains("round 3, partition 1, step 5"), e.getMessage());
    assertEquals("checkpoint-00000002", store.latest().orElseThrow().getName());
    assertEquals(2, Files.readAllLines(tmp.resolve(MetricsLog.FILE)).size(), "the rounds before the failure are logged");
    assertTrue(store.load(store.latest().orElseThrow()).trainable().names().contains("mlp.w1"));
    try (var listing = Files.list(tmp)) {
      assertEquals(1, listing.filter(p -> p.getFileName().toString().contains("checkpoint")).count());
    }
  }
}
