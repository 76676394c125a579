package org.synergen.eval.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.synergen.eval.run.EvalCli;

/**
 * `eval report` on three runs of the stand-in model (TextVQA and POPE scored, GenEval drawn but not
 * yet scored), checked in a real headless Chromium: the page loads from a file with nothing
 * fetched, the tables hold this run's numbers beside the paper's, and the images are drawn.
 */
class ReportCommandTest {
  private static final String PROMPTS = String.join("\n",
      "{\"tag\": \"colors\", \"include\": [{\"class\": \"car\", \"count\": 1, \"color\": \"red\"}], \"prompt\": \"a photo of a red car\"}",
      "{\"tag\": \"colors\", \"include\": [{\"class\": \"bench\", \"count\": 1, \"color\": \"blue\"}], \"prompt\": \"a photo of a blue bench\"}",
      "{\"tag\": \"colors\", \"include\": [{\"class\": \"apple\", \"count\": 1, \"color\": \"green\"}], \"prompt\": \"a photo of a green apple\"}",
      "{\"tag\": \"colors\", \"include\": [{\"class\": \"banana\", \"count\": 1, \"color\": \"yellow\"}], \"prompt\": \"a photo of a yellow banana\"}");

  @TempDir
  static Path dir;
  static Path runs;

  @BeforeAll
  static void threeRuns() throws IOException {
    runs = dir.resolve("runs");
    Path prompts = dir.resolve("evaluation_metadata.jsonl");
    Files.writeString(prompts, PROMPTS + "\n");
    run("--task", "textvqa", "--data", EvalCli.resource("/run/textvqa_tsv/TextVQA_VAL.tsv").toString(),
        "--out", runs.resolve("textvqa").toString());
    run("--task", "pope", "--data", EvalCli.resource("/run/pope_json").toString(), "--out", runs.resolve("pope").toString());
    run("--task", "geneval", "--data", prompts.toString(), "--images-per-prompt", "2", "--size", "32",
        "--out", runs.resolve("geneval").toString());
    EvalCli.Result r = EvalCli.run(null, "report", runs.toString());
    assertEquals(0, r.exit(), r.err());
  }

  private static void run(String... args) {
    List<String> all = new ArrayList<>(List.of("run", "--checkpoint", "stand-in"));
    all.addAll(List.of(args));
    EvalCli.Result r = EvalCli.withColourNamer(all.toArray(String[]::new));
    assertEquals(0, r.exit(), r.err());
  }

  @Test
  void thePageNeedsNothingFromOutside() throws IOException {
    String html = Files.readString(runs.resolve("report.html"));
    assertFalse(html.contains("http://") || html.contains("https://"), "no external address");
    assertFalse(html.contains("<script") || html.contains("<link"), "no scripts or linked resources");
    assertEquals(8, count(html, "src=\"data:image/png;base64,"));
  }

  @Test
  void theMarkdownHasTheTablesAndLinksTheImages() throws IOException {
    String md = Files.readString(runs.resolve("report.md"));
    assertTrue(md.contains("| TextVQA | VQA accuracy (%) | 53.33 | 67.50 | -14.17 | 3 questions |"), md);
    assertTrue(md.contains("| GenEval | overall (0-1) | not scored yet | 0.610 |"), md);
    assertTrue(md.contains("| OCRBench | score (of 1000) | not built | 721.00 |"), md);
    assertTrue(md.contains("![](geneval/images/00000/samples/0000.png) | a photo of a red car (0/0) |"), md);
    assertTrue(Files.isRegularFile(runs.resolve("geneval/images/00000/samples/0000.png")));
  }

  @Test
  void chromiumRendersTheTablesAndImages() throws Exception {
    String chromium = chromium();
    Path html = runs.resolve("report.html");
    Path profile = Files.createTempDirectory(dir, "chromium");
    String dom = browser(chromium, profile, "--dump-dom", html.toUri().toString());
    // the headline table: this run's numbers beside the paper's
    assertTrue(dom.contains("Scores beside the paper"), dom);
    assertRow(dom, "TextVQA", "53.33", "67.50");
    assertRow(dom, "POPE", "66.67", "85.30");
    assertRow(dom, "MME", "not run", "1837.00");
    assertRow(dom, "FID MSCOCO-30K", "not run", "7.65");
    // headline, runs, TextVQA's first answers, POPE's categories and first answers
    assertEquals(5, count(dom, "<table>"));
    assertTrue(dom.contains("<td>geneval</td><td>stand-in</td>"), dom);
    assertEquals(8, count(dom, "<img "));
    assertTrue(dom.contains("<figcaption>a photo of a yellow banana <small>(3/1)</small></figcaption>"), dom);

    Path shot = Path.of("target", "report-screenshot.png").toAbsolutePath();
    Files.deleteIfExists(shot);
    browser(chromium, profile, "--screenshot=" + shot, "--window-size=1100,2400", "--hide-scrollbars",
        html.toUri().toString());
    BufferedImage image = ImageIO.read(shot.toFile());
    assertEquals(1100, image.getWidth());
    // the drawn images were decoded by the browser: the stand-in's red (220, 30, 30) and yellow are on screen
    assertTrue(hasColour(image, 220, 30, 30), "the red car image is painted");
    assertTrue(hasColour(image, 240, 220, 30), "the yellow banana image is painted");
  }

  private static void assertRow(String dom, String benchmark, String ours, String paper) {
    Pattern row = Pattern.compile("<tr><td>" + Pattern.quote(benchmark) + "</td><td>[^<]*</td><td>" + Pattern.quote(ours)
        + "</td><td>" + Pattern.quote(paper) + "</td>");
    assertTrue(row.matcher(dom).find(), benchmark + " row with " + ours + " beside " + paper + " in\n" + dom);
  }

  private static boolean hasColour(BufferedImage image, int r, int g, int b) {
    for (int y = 0; y < image.getHeight(); y += 2) {
      for (int x = 0; x < image.getWidth(); x += 2) {
        int p = image.getRGB(x, y);
        if (Math.abs(((p >> 16) & 0xFF) - r) <= 3 && Math.abs(((p >> 8) & 0xFF) - g) <= 3 && Math.abs((p & 0xFF) - b) <= 3) {
          return true;
        }
      }
    }
    return false;
  }

  private static int count(String text, String what) {
    Matcher m = Pattern.compile(Pattern.quote(what)).matcher(text);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }

  /** The Chromium binary; the test fails (it does not skip) when the browser is not installed. */
  private static String chromium() {
    for (String dirName : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      for (String name : List.of("chromium", "chromium-browser")) {
        if (Files.isExecutable(Path.of(dirName, name))) {
          return Path.of(dirName, name).toString();
        }
      }
    }
    fail("this test renders the report in a headless Chromium, which is not installed: install Debian's "
        + "chromium package (apt-get install -y chromium)");
    return null;
  }

  private static String browser(String chromium, Path profile, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(chromium, "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-dev-shm-usage", "--no-first-run", "--user-data-dir=" + profile));
    command.addAll(List.of(args));
    Path log = Files.createTempFile(dir, "chromium", ".log");
    Process p = new ProcessBuilder(command).redirectError(log.toFile()).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("chromium did not finish in 120 s: " + Files.readString(log));
    }
    assertEquals(0, p.exitValue(), "chromium failed: " + Files.readString(log));
    return new String(out, StandardCharsets.UTF_8);
  }
}
