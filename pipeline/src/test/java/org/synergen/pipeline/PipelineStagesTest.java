package org.synergen.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pipeline's decisions (order, inputs, resume, failures, sft or not) with the jobs stood in for. */
class PipelineStagesTest {
  @TempDir Path run;
  private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

  private Optional<Path> runPipeline(RecordingLauncher jobs, String... overrides) throws Exception {
    PipelineSettings settings = PipelineSettings.from(PipelineSettings.load(null, List.of(overrides)));
    return new Pipeline(settings, run, jobs, new PrintStream(printed, true, StandardCharsets.UTF_8)).run();
  }

  private String printed() {
    return printed.toString(StandardCharsets.UTF_8);
  }

  @Test
  void eachStageTakesThePreviousOnesOutputAndEvalTakesStage2WithoutSft() throws Exception {
    RecordingLauncher jobs = new RecordingLauncher(c -> 0);
    Optional<Path> report = runPipeline(jobs, "pipeline.pretrain.steps=6",
        "pipeline.stages=[ingest,tokenize,stage1,stage2,eval,report]");

    assertEquals(List.of("IngestJob", "TokenizeJob", "PretrainJob", "PretrainJob", "EvalJob", "EvalJob"),
        jobs.calls.stream().map(RecordingLauncher.Call::simpleJob).toList());
    var ingest = jobs.calls.get(0);
    assertEquals("data/sample/metadata.parquet", ingest.arg("--input"));
    assertEquals(run.resolve("images").toString(), ingest.arg("--output"));
    assertTrue(ingest.args().contains("ingest.output.samples-per-shard=10"), ingest.args().toString());
    var tokenize = jobs.calls.get(1);
    assertEquals(run.resolve("images").toString(), tokenize.arg("--input"));
    assertEquals("data/vq-tiny", tokenize.arg("--vq"));
    var stage1 = jobs.calls.get(2);
    assertEquals("1", stage1.arg("--stage"));
    assertEquals(run.resolve("tokens").toString(), stage1.arg("--input"));
    assertEquals("random:conf/model/tiny.conf", stage1.arg("--init"));
    assertTrue(stage1.args().containsAll(List.of("--resume", "train.steps=6", "distributed.workers=2",
        "init.vision-from=\"conf/model/tiny.conf\"")), stage1.args().toString());
    var stage2 = jobs.calls.get(3);
    assertEquals("2", stage2.arg("--stage"));
    // the stand-in wrote checkpoint-(steps / 2) = checkpoint-00000003 for stage 1
    assertEquals(run.resolve("stage1/checkpoint-00000003").toString(), stage2.arg("--init"));
    assertTrue(!stage2.args().contains("init.vision-from=\"conf/model/tiny.conf\""), "stage 1's own setting");
    var eval = jobs.calls.get(4);
    assertEquals(List.of("run", "--task", "geneval"), eval.args().subList(0, 3));
    assertEquals(run.resolve("stage2/checkpoint-00000003").toString(), eval.arg("--checkpoint"));
    assertEquals("4", eval.arg("--limit"));
    assertEquals(List.of("report", run.resolve("eval/geneval").toString(), "--out", run.resolve("report").toString()),
        jobs.calls.get(5).args());
    assertEquals(Optional.of(run.resolve("report/report.html")), report);
  }

  @Test
  void sftTunesStage2OnTheTokenizedConversationsAndEvalTakesItsCheckpoint() throws Exception {
    RecordingLauncher jobs = new RecordingLauncher(c -> 0);
    runPipeline(jobs, "pipeline.pretrain.steps=4");

    RecordingLauncher.Call conversations = jobs.calls.get(4);
    assertEquals(List.of("conversations", "--input", "data/sft-example", "--output",
        run.resolve("sft-tokens").toString(), "--image-root", "data/sample/images"), conversations.args());
    RecordingLauncher.Call sft = jobs.calls.get(5);
    assertEquals("SftJob", sft.simpleJob());
    assertEquals(List.of("--init", run.resolve("stage2/checkpoint-00000002").toString(), "--input",
        run.resolve("sft-tokens").toString(), "--output", run.resolve("sft").toString()), sft.args().subList(0, 6));
    assertTrue(sft.args().contains("distributed.workers=1"), "conf/pipeline.conf's sft settings: " + sft.args());
    // the stand-in sft writes the checkpoint of its last round: conf/pipeline.conf's 4 sft steps, H = 2
    assertEquals(run.resolve("sft/checkpoint-00000002").toString(), jobs.calls.get(6).arg("--checkpoint"));
  }

  @Test
  void aSecondRunSkipsEveryCompleteStage() throws Exception {
    runPipeline(new RecordingLauncher(c -> 0));
    RecordingLauncher again = new RecordingLauncher(c -> 0);
    Optional<Path> report = runPipeline(again);
    assertEquals(List.of(), again.calls);
    assertEquals(Optional.of(run.resolve("report/report.html")), report);
    for (String stage : List.of("ingest", "tokenize", "stage1", "stage2", "sft", "eval", "report")) {
      assertTrue(printed().contains("pipeline: " + stage + ": complete ("), stage + " in " + printed());
    }
  }

  @Test
  void aFailedStageIsNamedAndNothingAfterItRuns() {
    RecordingLauncher jobs = new RecordingLauncher(c -> c.simpleJob().equals("PretrainJob") ? 1 : 0);
    Pipeline.StageFailed e = assertThrows(Pipeline.StageFailed.class, () -> runPipeline(jobs));
    assertEquals(1, e.exitCode());
    assertTrue(e.getMessage().startsWith("stage stage1 (pretrain stage 1) failed (exit 1)"), e.getMessage());
    assertEquals(3, jobs.calls.size());
  }

  @Test
  void aStageWhoseInputIsMissingSaysWhichStageMakesIt() {
    RecordingLauncher jobs = new RecordingLauncher(c -> 0);
    Pipeline.StageFailed e = assertThrows(Pipeline.StageFailed.class,
        () -> runPipeline(jobs, "pipeline.stages=[stage2]"));
    assertEquals(2, e.exitCode());
    assertTrue(e.getMessage().contains("stage stage2 needs the complete output of stage tokenize"), e.getMessage());
    assertEquals(List.of(), jobs.calls);
  }
}
