package org.synergen.pretrain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.synergen.model.nn.Execution;
import org.synergen.train.LearningRateSchedule;
import org.synergen.train.distributed.OuterUpdate;
import org.synergen.train.stage.StageSettings;

class PretrainJobTest {
  private static final Path HOME = Path.of("..");
  private static final String[] REQUIRED = {"--input", "shards", "--init", "base", "--output", "out"};

  private record Result(int code, String out, String err) {}

  private static Result run(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true));
      System.setErr(new PrintStream(err, true));
      int code = PretrainJob.run(HOME, args);
      return new Result(code, out.toString(), err.toString());
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  private static String[] with(String... args) {
    String[] all = new String[REQUIRED.length + args.length];
    System.arraycopy(REQUIRED, 0, all, 0, REQUIRED.length);
    System.arraycopy(args, 0, all, REQUIRED.length, args.length);
    return all;
  }

  @Test
  void helpTellsTheTruth() {
    Result r = run("--help");
    assertEquals(0, r.code());
    for (String s : new String[] {"--stage", "--input", "--init", "--output", "--resume", "--conf", "key=value", "random:MODEL_CONF", "synthetic:N"}) {
      assertTrue(r.out().contains(s), s + " missing from:\n" + r.out());
    }
  }

  @Test
  void usageErrorsExit2WithAMessage() {
    assertEquals(2, run(REQUIRED).code(), "missing --stage");
    Result badStage = run(with("--stage", "3"));
    assertEquals(2, badStage.code());
    assertTrue(badStage.err().contains("--stage must be 1 or 2"), badStage.err());
    Result badValue = run(with("--stage", "1", "distributed.workers=0"));
    assertEquals(2, badValue.code());
    assertTrue(badValue.err().contains("distributed.workers must be at least 1"), badValue.err());
    Result notKv = run(with("--stage", "2", "workers"));
    assertEquals(2, notKv.code());
    assertTrue(notKv.err().contains("'workers' is not a key=value setting"), notKv.err());
    Result badMode = run(with("--stage", "2", "distributed.outer-update=sum"));
    assertEquals(2, badMode.code());
    assertTrue(badMode.err().contains("unknown outer update 'sum'"), badMode.err());
  }

  @Test
  void overridesWin() {
    Result r = run(with("--stage", "2", "distributed.workers=8", "distributed.local-steps=16", "distributed.outer-update=diloco"));
    assertEquals(2, r.code(), r.err()); // --init base does not exist
    assertTrue(r.err().contains("--init base is neither a checkpoint directory nor random:MODEL_CONF"), r.err());
    assertTrue(r.out().contains("35000 steps = 2188 rounds of H=16 on 8 workers, outer update diloco"), r.out());
  }

  @Test
  void executionKeysReachTheTrainer() {
    StageSettings defaults = StageSettings.fromConfig(ConfigFactory.parseFile(HOME.resolve("conf/stages/stage2.conf").toFile()));
    assertEquals(Execution.DEFAULT, defaults.execution());
    StageSettings s = StageSettings.load(HOME.resolve("conf/stages/stage2.conf"), null,
        List.of("train.execution.activation-checkpointing=true", "train.execution.attention-block=64",
            "train.execution.head-chunk-rows=256"));
    assertEquals(new Execution(false, 64, true, 256), s.execution());
    IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> StageSettings.load(
        HOME.resolve("conf/stages/stage2.conf"), null, List.of("train.execution.attention-block=0")));
    assertTrue(bad.getMessage().contains("train.execution.attention-block (0)"), bad.getMessage());
  }

  @Test
  void stageFilesCarryTheValuesOfTable8() {
    StageSettings s1 = StageSettings.fromConfig(ConfigFactory.parseFile(HOME.resolve("conf/stages/stage1.conf").toFile()));
    StageSettings s2 = StageSettings.fromConfig(ConfigFactory.parseFile(HOME.resolve("conf/stages/stage2.conf").toFile()));
    for (StageSettings s : new StageSettings[] {s1, s2}) {
      assertEquals(0.9, s.beta1());
      assertEquals(0.95, s.beta2());
      assertEquals(1e-8, s.eps());
      assertEquals(0.05, s.weightDecay());
      assertEquals(200, s.lr().warmupSteps());
      assertEquals(OuterUpdate.AVERAGE, s.distributed().outerUpdate());
      assertEquals(0.7, s.distributed().outerLearningRate());
      assertEquals(0.9, s.distributed().outerMomentum());
    }
    assertEquals(1e-4, s1.lr().peak());
    assertEquals(LearningRateSchedule.Shape.CONSTANT, s1.lr().shape());
    assertEquals(95_000, s1.steps());
    assertEquals(4096, s1.sequenceLength());
    assertEquals(6988, s1.batchPerTask());
    assertEquals("stage1", s1.trainable());
    assertEquals(5e-5, s2.lr().peak());
    assertEquals(LearningRateSchedule.Shape.COSINE, s2.lr().shape());
    assertEquals(35_000, s2.steps());
    assertEquals(8192, s2.sequenceLength());
    assertEquals(5090, s2.batchPerTask());
    assertEquals("stage2", s2.trainable());
    // warm-up is linear to the peak, then stage 1 stays there and stage 2 decays
    assertEquals(1e-4 / 200, s1.lr().at(0), 1e-15);
    assertEquals(1e-4, s1.lr().at(199), 1e-15);
    assertEquals(1e-4, s1.lr().at(90_000), 1e-15);
    assertEquals(5e-5, s2.lr().at(200), 1e-15);
    assertEquals(2.5e-5, s2.lr().at(200 + (35_000 - 200) / 2), 1e-12);
  }
}
