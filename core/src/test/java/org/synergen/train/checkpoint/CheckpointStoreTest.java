package org.synergen.train.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.synergen.train.distributed.DistributedSettings;
import org.synergen.train.distributed.OptimizerState;
import org.synergen.train.distributed.OuterUpdate;
import org.synergen.train.distributed.SliceCursor;
import org.synergen.train.distributed.StreamPosition;
import org.synergen.train.distributed.TensorSet;
import org.synergen.train.distributed.TrainingState;

class CheckpointStoreTest {
  @TempDir java.nio.file.Path tmp;

  private static final DistributedSettings DILOCO = new DistributedSettings(OuterUpdate.DILOCO, 2, 4, 1, 0.7, 0.9, 2);

  private static TrainingState state(long round, float base) {
    TensorSet frozen = new TensorSet().put("embed.weight", new long[] {2, 2}, new float[] {base, -0f, Float.MIN_VALUE, 1e30f});
    TensorSet trainable = new TensorSet().put("vision.w", new long[] {3}, new float[] {base + 1, 0.1f, -0.3f})
        .put("vision.b", new long[] {1}, new float[] {base * 2});
    List<OptimizerState> inner = List.of(
        new OptimizerState(new TensorSet().put("m/vision.w", new long[] {3}, new float[] {1, 2, 3}), 4 * round),
        new OptimizerState(new TensorSet().put("m/vision.w", new long[] {3}, new float[] {4, 5, base}), 4 * round));
    TensorSet momentum = new TensorSet().put("vision.w", new long[] {3}, new float[] {0.5f, base, 0});
    return new TrainingState(1, round, 4 * round, 42, 100 * round, 9000 * round, frozen, trainable, inner, momentum, cursors(round));
  }

  /** Two workers' stream positions, different per round (a zero round is a fresh run: no cursors yet). */
  private static List<SliceCursor> cursors(long round) {
    if (round == 0) {
      return List.of();
    }
    return List.of(new SliceCursor(Map.of("und", new StreamPosition(round, 1, 37, 2, 5), "gen", StreamPosition.START)),
        new SliceCursor(Map.of("gen", new StreamPosition(0, 3, round, 9, 1023))));
  }

  private CheckpointStore store(TensorCodec codec) {
    return new CheckpointStore(tmp.toUri().toString(), new Configuration(), codec);
  }

  private static void assertSameState(TrainingState a, TrainingState b) {
    assertEquals(a.stage(), b.stage());
    assertEquals(a.round(), b.round());
    assertEquals(a.nextStep(), b.nextStep());
    assertEquals(a.seed(), b.seed());
    assertEquals(a.examplesSeen(), b.examplesSeen());
    assertEquals(a.tokensSeen(), b.tokensSeen());
    assertEquals(a.cursors(), b.cursors(), "data cursors");
    assertTrue(a.frozen().bitEquals(b.frozen()), "frozen");
    assertTrue(a.trainable().bitEquals(b.trainable()), "trainable");
    assertEquals(a.trainable().names(), b.trainable().names());
    assertEquals(a.optimizers().size(), b.optimizers().size());
    for (int i = 0; i < a.optimizers().size(); i++) {
      assertTrue(a.optimizers().get(i).tensors().bitEquals(b.optimizers().get(i).tensors()), "optimizer " + i);
      assertEquals(a.optimizers().get(i).steps(), b.optimizers().get(i).steps());
    }
    assertTrue(a.outerMomentum().bitEquals(b.outerMomentum()), "outer momentum");
  }

  @Test
  void readsAFileWrittenByTheReferenceSafetensorsLibrary() throws IOException {
    try (InputStream in = getClass().getResourceAsStream("/checkpoint/reference.safetensors")) {
      TensorSet t = new SafetensorsCodec().read(in);
      assertArrayEquals(new long[] {2, 3}, t.shape("layer.weight"));
      assertArrayEquals(new float[] {-0.625f, -0.375f, -0.125f, 0.125f, 0.375f, 0.625f}, t.get("layer.weight"));
      assertArrayEquals(new float[] {1e-8f, -3.25e7f}, t.get("layer.bias"));
      assertArrayEquals(new long[] {}, t.shape("scalar"));
      assertArrayEquals(new float[] {7f}, t.get("scalar"));
    }
  }

  @Test
  void aCheckpointLoadsBackBitForBit() throws IOException {
    CheckpointStore s = store(new SafetensorsCodec());
    TrainingState written = state(3, 1.5f);
    Path p = s.write(written, "{\"model_type\":\"toy\"}", DILOCO);
    assertEquals("checkpoint-00000003", p.getName());
    assertSameState(written, s.load(s.latest().orElseThrow()));
    assertEquals("{\"model_type\":\"toy\"}", s.readConfig(p));
    TrainerStateFile f = s.readTrainerState(p);
    assertEquals("diloco", f.outerUpdate());
    assertEquals(12, f.dataCursor().nextStep());
    assertEquals(List.of("vision.w", "vision.b"), f.trainable());
    assertTrue(Files.exists(tmp.resolve("checkpoint-00000003").resolve(CheckpointStore.COMPLETE)));
  }

  /** Writes half of what it was given, then fails as a full disk or a killed process would. */
  private static final class FailsHalfWay implements TensorCodec {
    private final SafetensorsCodec real = new SafetensorsCodec();

    @Override
    public void write(TensorSet tensors, Map<String, String> metadata, OutputStream out) throws IOException {
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      real.write(tensors, metadata, all);
      out.write(all.toByteArray(), 0, all.size() / 2);
      out.flush();
      throw new IOException("disk full (injected)");
    }

    @Override
    public TensorSet read(InputStream in) throws IOException {
      return real.read(in);
    }
  }

  @Test
  void aWriteInterruptedHalfWayLeavesThePreviousCheckpointLoadable() throws IOException {
    TrainingState good = state(2, 1f);
    store(new SafetensorsCodec()).write(good, "{}", DILOCO);
    assertThrows(IOException.class, () -> store(new FailsHalfWay()).write(state(4, 7f), "{}", DILOCO));

    CheckpointStore reader = store(new SafetensorsCodec());
    assertEquals("checkpoint-00000002", reader.latest().orElseThrow().getName());
    assertSameState(good, reader.load(reader.latest().orElseThrow()));
    try (var listing = Files.list(tmp)) {
      assertEquals(List.of("checkpoint-00000002"), listing.map(f -> f.getFileName().toString()).sorted().toList());
    }
  }

  @Test
  void leftoversOfACrashedWriterAreNeverTakenForACheckpoint() throws IOException {
    CheckpointStore s = store(new SafetensorsCodec());
    TrainingState good = state(2, 1f);
    s.write(good, "{}", DILOCO);
    // a writer killed before the rename, and a directory copied without its marker (s3a rename)
    java.nio.file.Path dead = Files.createDirectories(tmp.resolve("_tmp-checkpoint-00000004-deadbeef"));
    Files.write(dead.resolve(CheckpointStore.MODEL), new byte[] {1, 2, 3});
    java.nio.file.Path unmarked = Files.createDirectories(tmp.resolve("checkpoint-00000006"));
    Files.write(unmarked.resolve(CheckpointStore.MODEL), new byte[] {1, 2, 3});

    assertEquals("checkpoint-00000002", s.latest().orElseThrow().getName());
    assertSameState(good, s.load(s.latest().orElseThrow()));
    assertThrows(IOException.class, () -> s.load(new Path(unmarked.toUri())));
    assertEquals(1, s.removeAbandonedWrites());
    assertFalse(Files.exists(dead));
  }
}
