package org.synergen.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Bad input is refused with one clear line and exit 2 before any stage (and so any Spark job) starts. */
class PipelineBadInputTest {
  /** The project folder: conf/pipeline.conf is there (tests run in pipeline/). */
  static final Path HOME = Path.of("..").toAbsolutePath().normalize();

  @TempDir Path tmp;
  private final List<String> started = new ArrayList<>();
  private String err = "";

  private int pipeline(String... args) {
    PrintStream saved = System.err;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      StageLauncher refuse = (main, a) -> {
        started.add(main);
        return 0;
      };
      return new CommandLine(new PipelineCommand(HOME, refuse)).execute(args);
    } finally {
      System.setErr(saved);
      err = buf.toString(StandardCharsets.UTF_8);
    }
  }

  private void assertRefused(int rc, String expected) {
    assertEquals(2, rc, err);
    assertTrue(err.startsWith("synergen pipeline: ") && err.contains(expected), err);
    assertEquals(1, err.strip().lines().count(), "one line: " + err);
    assertEquals(List.of(), started, "no stage may start");
  }

  @Test
  void aMissingConfFile() {
    Path missing = tmp.resolve("nope.conf");
    assertRefused(pipeline("--conf", missing.toString(), "--output", tmp.resolve("run").toString()),
        "--conf " + missing + ": no such file");
    assertFalse(Files.exists(tmp.resolve("run")));
  }

  @Test
  void anUnknownStageName() throws Exception {
    assertRefused(pipeline("--stages", "ingest,tokenise", "--output", tmp.resolve("run").toString()),
        "unknown stage 'tokenise'; the stages are ingest, tokenize, stage1, stage2, sft, eval, report");
    Path conf = tmp.resolve("p.conf");
    Files.writeString(conf, "pipeline.stages = [ingest, pretrain]\n");
    assertRefused(pipeline("--conf", conf.toString(), "--output", tmp.resolve("run").toString()),
        "unknown stage 'pretrain'");
  }

  @Test
  void anUnknownSettingNamesTheClosestOne() {
    assertRefused(pipeline("--output", tmp.resolve("run").toString(), "pipeline.pretrain.step=3"),
        "unknown setting 'pipeline.pretrain.step'");
    assertTrue(err.contains("did you mean 'pipeline.pretrain.steps'?"), err);
  }

  @Test
  void aRunFolderOfAnotherPipeline() throws Exception {
    Path run = tmp.resolve("run");
    RunManifest.claim(run, PipelineSettings.from(PipelineSettings.load(null, List.of("pipeline.pretrain.steps=8"))));
    assertRefused(pipeline("--output", run.toString(), "pipeline.pretrain.steps=16"),
        run + " belongs to another pipeline ('embedded'");
    assertTrue(err.contains("pipeline.pretrain.steps: 8 there, 16 here"), err);
  }

  @Test
  void aFolderThatIsNoRunFolder() throws Exception {
    Path run = Files.createDirectories(tmp.resolve("photos"));
    Files.writeString(run.resolve("cat.jpg"), "not ours");
    assertRefused(pipeline("--output", run.toString()), "holds no pipeline.json");
  }

  @Test
  void theSamePipelineMayResumeItsFolder() throws Exception {
    Path run = tmp.resolve("run");
    RunManifest.claim(run, PipelineSettings.from(PipelineSettings.load(HOME.resolve("conf/pipeline.conf"),
        List.of("pipeline.stages=[ingest]"))));
    // a different stage selection is the same pipeline; the stand-in "ingest" writes nothing, which is fine here
    int rc = pipeline("--output", run.toString(), "--stages", "tokenize");
    assertEquals(2, rc, err);
    assertTrue(err.contains("stage tokenize needs the complete output of stage ingest"), err);
  }
}
