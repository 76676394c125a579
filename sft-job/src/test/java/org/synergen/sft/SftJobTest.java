package org.synergen.sft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.synergen.train.LearningRateSchedule;
import org.synergen.train.distributed.OuterUpdate;
import org.synergen.train.stage.StageSettings;

/** bin/synergen sft's command line and conf/stages/sft.conf, before anything trains. */
class SftJobTest {
  private static final Path HOME = Path.of("..");
  private static final String[] REQUIRED = {"--init", "base", "--input", "shards", "--output", "out"};

  record Result(int code, String out, String err) {}

  static Result run(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true));
      System.setErr(new PrintStream(err, true));
      return new Result(SftJob.run(HOME, args), out.toString(), err.toString());
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
    for (String s : new String[] {"--init", "STAGE2_CHECKPOINT", "--input", "--output", "--resume", "--conf", "key=value",
        "conf/stages/sft.conf", "tokenize conversations"}) {
      assertTrue(r.out().contains(s), s + " missing from:\n" + r.out());
    }
  }

  @Test
  void badSettingsExit2BeforeAnythingRuns() {
    assertEquals(2, run("--input", "x", "--output", "y").code(), "missing --init");
    Result typo = run(with("train.lr.peek=1"));
    assertEquals(2, typo.code());
    assertTrue(typo.err().contains("unknown setting 'train.lr.peek'") && typo.err().contains("did you mean 'train.lr.peak'?"),
        typo.err());
    Result type = run(with("train.steps=many"));
    assertEquals(2, type.code());
    assertTrue(type.err().contains("setting 'train.steps' must be a number"), type.err());
    Result policy = run(with("train.trainable=everything"));
    assertEquals(2, policy.code());
    assertTrue(policy.err().contains("train.trainable: unknown stage 'everything'"), policy.err());
    Result missing = run(with("train.steps=2"));
    assertEquals(2, missing.code());
    assertTrue(missing.err().contains("--init base is neither a checkpoint directory nor random:MODEL_CONF"), missing.err());
    assertTrue(missing.out().contains("sft: 2 steps = 2 rounds of H=1 on 2 workers, outer update average, lr cosine 5.00e-05"),
        missing.out());
  }

  /** The paper's SFT column of Table 8; the values it does not give are the stage files'. */
  @Test
  void sftConfCarriesThePapersInstructionTuningValues() {
    StageSettings s = SftSettings.load(HOME, null, List.of());
    assertEquals(3, s.stage());
    assertEquals("sft", s.trainable());
    assertEquals(12_000, s.steps());
    assertEquals(16_384, s.sequenceLength());
    assertEquals(1760, s.batchPerTask());
    assertEquals(0.9, s.beta1());
    assertEquals(0.95, s.beta2());
    assertEquals(1e-8, s.eps());
    assertEquals(0.01, s.weightDecay());
    assertEquals(5e-5, s.lr().peak());
    assertEquals(200, s.lr().warmupSteps());
    assertEquals(LearningRateSchedule.Shape.COSINE, s.lr().shape());
    assertEquals(OuterUpdate.AVERAGE, s.distributed().outerUpdate());
    // cosine from the peak after warm-up to 0 at the end: half way it is half the peak
    assertEquals(2.5e-5, s.lr().at(200 + (12_000 - 200) / 2), 1e-12);
  }
}
