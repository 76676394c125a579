package org.synergen.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's run command on the bundled photos with the tiny model (fewer steps than the default),
 * as a user runs it: one pipeline JVM, its output as the terminal shows it. It ends with the
 * report's path, prints no INFO line of Spark's, and a second run resumes by skipping every stage.
 */
class PipelineEmbeddedTest {
  private static final Pattern INFO = Pattern.compile("\\b(INFO|DEBUG)\\b");

  @TempDir Path tmp;

  private List<String> runPipeline(Path run, Path terminal) throws IOException, InterruptedException {
    List<String> cmd = JavaProcess.command(PipelineJob.class.getName(), List.of("--output", run.toString(),
        "pipeline.pretrain.steps=4", "pipeline.eval.limit=2"));
    Process p = new ProcessBuilder(cmd).directory(PipelineBadInputTest.HOME.toFile()).redirectErrorStream(true)
        .redirectOutput(terminal.toFile()).start();
    int rc = p.waitFor();
    List<String> lines = Files.readAllLines(terminal);
    assertEquals(0, rc, String.join("\n", lines));
    return lines;
  }

  @Test
  void photosToReportInOneCommand() throws Exception {
    Path run = tmp.resolve("run");
    List<String> lines = runPipeline(run, tmp.resolve("first.txt"));
    String all = String.join("\n", lines);

    List<String> info = lines.stream().filter(l -> INFO.matcher(l).find()).toList();
    assertEquals(List.of(), info, "Spark's INFO log must stay off the terminal");
    List<String> started = lines.stream().filter(l -> l.startsWith("pipeline: == "))
        .map(l -> l.substring("pipeline: == ".length()).split(" ")[0]).toList();
    // "sft" twice: tokenize conversations (data/sft-example), then the sft job
    assertEquals(List.of("ingest", "tokenize", "stage1", "stage2", "sft", "sft", "eval", "report"), started, all);
    assertTrue(all.contains("5 conversations -> 5 rows (5 success"), all);
    assertTrue(Files.isRegularFile(run.resolve("sft/checkpoint-00000002/_COMPLETE")), all);
    assertTrue(lines.size() < 120, lines.size() + " lines: " + all);
    Path report = run.resolve("report/report.html");
    assertEquals("pipeline: done; report: " + report, lines.get(lines.size() - 1));
    assertTrue(Files.size(report) > 0);
    assertTrue(Files.isRegularFile(run.resolve("images/_summary.json")) && Files.isRegularFile(run.resolve(
        "tokens/_summary.json")) && Files.isRegularFile(run.resolve("eval/geneval/run.json")), all);

    List<String> again = runPipeline(run, tmp.resolve("second.txt"));
    assertEquals(0, again.stream().filter(l -> l.startsWith("pipeline: == ")).count(), String.join("\n", again));
    assertEquals("pipeline: done; report: " + report, again.get(again.size() - 1));
  }
}
