package org.synergen.sft;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.synergen.config.ModelConfig;
import org.synergen.data.TokenShardRow;
import org.synergen.data.TokenShardWriter;
import org.synergen.model.ModelCheckpoint;
import org.synergen.model.SynerGenModel;
import org.synergen.sft.SftJobTest.Result;
import org.synergen.train.checkpoint.CheckpointStore;
import org.synergen.train.distributed.CrashesInRound;
import org.synergen.train.stage.ConversationRows;
import org.synergen.train.stage.StageRunner;
import picocli.CommandLine;

/**
 * bin/synergen sft end to end on the tiny model: conversation token shards written here as the
 * SFT contract lays them out, a "stage 2" checkpoint to start from, four rounds on two workers;
 * then the same run killed in round 2 and resumed, which must end in the same bytes.
 */
class SftRunTest {
  private static final Path HOME = Path.of("..");
  private static final ModelConfig TINY =
      ModelConfig.fromConfig(ConfigFactory.parseFile(HOME.resolve("conf/model/tiny.conf").toFile()).getConfig("model"));
  /** A text FFN weight: frozen in both alignment stages, trained by sft. */
  private static final String TEXT_FFN = "model.layers.0.mlp.up_proj.weight";
  private static final String LAST = "checkpoint-00000004";
  @TempDir static Path tmp;
  private static Path tokens;
  private static Path stage2;

  @BeforeAll
  static void shardsAndAStartingCheckpoint() throws IOException {
    tokens = Files.createDirectories(tmp.resolve("tokens"));
    List<TokenShardRow> rows = new ArrayList<>(ConversationRows.mixed(TINY, 8, 21));
    // a failure row as tokenize writes it: kept in the shard, counted and skipped by training
    rows.add(new TokenShardRow("bad", TokenShardRow.UNDERSTANDING, "no_assistant_turn", "the conversation has no gpt turn",
        new int[0], new boolean[0], false, List.of(), TINY.vision().foldRows(), TINY.vision().foldCols(), "byte-level",
        "test-vq"));
    for (int f = 0; f < 2; f++) {
      try (TokenShardWriter w = new TokenShardWriter(
          new org.apache.hadoop.fs.Path(tokens.resolve("0000" + f + ".parquet").toUri()), new Configuration())) {
        for (int i = 0; i < rows.size(); i++) {
          if (i / 2 % 2 == f) { // und and gen rows come in pairs: each file gets both tasks
            w.write(rows.get(i));
          }
        }
      }
    }
    stage2 = tmp.resolve("stage2");
    ModelCheckpoint.save(stage2, TINY, SynerGenModel.create(TINY, 5).parameters());
  }

  private static String[] args(Path output, String... extra) {
    List<String> a = new ArrayList<>(List.of("--init", stage2.toString(), "--input", tokens.toString(),
        "--output", output.toString(), "train.steps=4", "train.sequence-length=256", "train.batch-per-task=2",
        "train.lr.warmup-steps=1", "train.lr.peak=1e-3", "distributed.workers=2", "distributed.local-steps=1",
        "distributed.checkpoint-every-rounds=1"));
    a.addAll(List.of(extra));
    return a.toArray(new String[0]);
  }

  /** The job with every Spark task of round {@code crashRound} failing, as a killed driver ends a run. */
  private static Result runCrashingIn(int crashRound, String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true));
      System.setErr(new PrintStream(err, true));
      StageRunner crashing = new StageRunner(HOME, t -> new CrashesInRound<>(crashRound, t));
      return new Result(new CommandLine(new SftCommand(HOME, crashing)).execute(args), out.toString(), err.toString());
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  @Test
  void sftTrainsEveryParameterOnConversationShardsAndAResumeAfterAKillEndsBitIdentical() throws IOException {
    Path straight = tmp.resolve("straight");
    Result r = SftJobTest.run(args(straight));
    assertEquals(0, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("input: 2 token shard file(s)"), r.out());
    assertTrue(r.out().contains("(SynerGen checkpoint)") && r.out().contains("trainable: sft"), r.out());
    assertTrue(r.out().contains("data und: 8 samples (1 failure rows skipped {no_assistant_turn=1}, 0 longer than 256"),
        r.out());
    assertTrue(r.out().contains("data gen: 8 samples (0 failure rows skipped"), r.out());
    assertTrue(r.out().contains("stage 3 round 4/4 step 4"), r.out());
    assertTrue(r.out().contains("finished sft after 4 rounds (4 steps"), r.out());
    assertTrue(Files.exists(straight.resolve("metrics.jsonl")));

    // all parameters train: the text FFN (frozen in stages 1 and 2) moved
    Map<String, INDArray> before = ModelCheckpoint.load(stage2).parameters();
    Map<String, INDArray> after = ModelCheckpoint.load(straight.resolve(LAST)).parameters();
    assertFalse(Arrays.equals(before.get(TEXT_FFN).data().asFloat(), after.get(TEXT_FFN).data().asFloat()),
        "the text FFN did not move");

    // killed in round 2 (after two checkpoints), then resumed: the same bytes as the straight run
    Path killed = tmp.resolve("killed");
    Result crash = runCrashingIn(2, args(killed));
    assertEquals(1, crash.code(), crash.out() + crash.err());
    assertTrue(crash.err().contains("injected crash in round 2"), crash.err());
    assertTrue(Files.exists(killed.resolve("checkpoint-00000002").resolve(CheckpointStore.COMPLETE)));
    assertFalse(Files.exists(killed.resolve("checkpoint-00000003")));
    Result resumed = SftJobTest.run(args(killed, "--resume"));
    assertEquals(0, resumed.code(), resumed.out() + resumed.err());
    assertTrue(resumed.out().contains("resuming from") && resumed.out().contains("(round 2, step 2)"), resumed.out());
    for (String file : List.of(CheckpointStore.MODEL, CheckpointStore.OPTIMIZER, CheckpointStore.TRAINER_STATE)) {
      assertArrayEquals(Files.readAllBytes(straight.resolve(LAST).resolve(file)),
          Files.readAllBytes(killed.resolve(LAST).resolve(file)), file);
    }
  }
}
