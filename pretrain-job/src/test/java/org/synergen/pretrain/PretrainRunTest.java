package org.synergen.pretrain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.synergen.config.ModelConfig;
import org.synergen.model.ModelCheckpoint;
import org.synergen.model.SynerGenModel;

/** bin/synergen pretrain end to end on the tiny config and synthetic rows: stage 1, refusal, resume, stage 2. */
class PretrainRunTest {
  private static final Path HOME = Path.of("..");
  static final ModelConfig TINY =
      ModelConfig.fromConfig(ConfigFactory.parseFile(HOME.resolve("conf/model/tiny.conf").toFile()).getConfig("model"));
  private static final int[] TEXT = {84, 104, 101, 32, 113, 117, 105, 99, 107, 32, 102, 111, 120, 46};
  @TempDir Path tmp;

  record Result(int code, String out, String err) {}

  /** Runs the job as bin/synergen would, capturing what it prints. */
  static Result run(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true));
      System.setErr(new PrintStream(err, true));
      return new Result(PretrainJob.run(HOME, args), out.toString(), err.toString());
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  private static String[] args(int stage, String init, Path output, String... extra) {
    List<String> a = new ArrayList<>(List.of("--stage", Integer.toString(stage), "--input", "synthetic:24", "--init", init,
        "--output", output.toString(), "train.steps=4", "train.sequence-length=64", "train.batch-per-task=2",
        "train.lr.warmup-steps=1", "distributed.workers=2", "distributed.local-steps=2",
        "distributed.checkpoint-every-rounds=1"));
    a.addAll(List.of(extra));
    return a.toArray(new String[0]);
  }

  static float[] logits(SynerGenModel m) {
    INDArray l = m.textLogits(TEXT);
    return l.dup('c').data().asFloat();
  }

  @Test
  void stage1FromATinyBaseCheckpointThenStage2FromItsCheckpoint() throws Exception {
    SynerGenModel base = SynerGenModel.create(TINY, 5);
    Path baseDir = tmp.resolve("base");
    ModelCheckpoint.save(baseDir, TINY, base.parameters());

    Path s1 = tmp.resolve("stage1");
    Result r = run(args(1, baseDir.toString(), s1));
    assertEquals(0, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("data und: 24 samples (0 failure rows skipped, 0 longer than 64 tokens skipped)"), r.out());
    assertTrue(r.out().contains("stage 1 round 2/2 step 4"), r.out());
    Path ckpt = s1.resolve("checkpoint-00000002");
    assertTrue(Files.exists(ckpt.resolve("_COMPLETE")));
    assertTrue(Files.exists(s1.resolve("metrics.jsonl")));

    // the text model is untouched: same logits to the bit on text-only input
    SynerGenModel after = SynerGenModel.fromParameters(TINY, ModelCheckpoint.load(ckpt).parameters());
    assertArrayEquals(logits(base), logits(after));

    // a fresh start into a directory with checkpoints is refused; --resume continues (here: nothing left)
    Result again = run(args(1, baseDir.toString(), s1));
    assertEquals(2, again.code());
    assertTrue(again.err().contains("already holds checkpoints") && again.err().contains("--resume"), again.err());
    Result resumed = run(args(1, baseDir.toString(), s1, "--resume", "train.steps=6"));
    assertEquals(0, resumed.code(), resumed.err());
    assertTrue(resumed.out().contains("resuming from") && resumed.out().contains("stage 1 round 3/3 step 6"), resumed.out());

    // stage 2 from the stage-1 checkpoint: attention moves, so text-only logits change now
    Path s2 = tmp.resolve("stage2");
    Result r2 = run(args(2, s1.resolve("checkpoint-00000003").toString(), s2));
    assertEquals(0, r2.code(), r2.out() + r2.err());
    assertTrue(r2.out().contains("(SynerGen checkpoint)"), r2.out());
    SynerGenModel after2 = SynerGenModel.fromParameters(TINY, ModelCheckpoint.load(s2.resolve("checkpoint-00000002")).parameters());
    assertFalse(java.util.Arrays.equals(logits(base), logits(after2)));
  }

  @Test
  void randomInitAndBadInputSayWhatIsWrong() {
    Result r = run(args(1, "random:conf/model/tiny.conf", tmp.resolve("x"), "train.steps=2"));
    assertEquals(0, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("random weights from seed 42"), r.out());
    Result empty = run("--stage", "1", "--input", tmp.toString(), "--init", "random:conf/model/tiny.conf",
        "--output", tmp.resolve("y").toString());
    assertEquals(2, empty.code());
    assertTrue(empty.err().contains("no token shards (*.parquet)"), empty.err());
  }
}
