package org.synergen.eval.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.synergen.eval.EvalJob;
import org.synergen.eval.ReferenceFixtures;
import org.synergen.eval.fid.GaussianStats;
import org.synergen.eval.fid.NpzStats;

/** `synergen eval score` end to end: files in, exit code and report out. */
class ScoreCommandTest {
  @TempDir
  Path dir;

  private record Result(int exit, String out, String err) {}

  private static Result run(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int exit = EvalJob.run(args);
      return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  private Path file(String name, String... lines) throws IOException {
    Path p = dir.resolve(name);
    Files.write(p, java.util.List.of(lines));
    return p;
  }

  @Test
  void textVqaReportOnThePublishedScale() throws IOException {
    Path gt = file("gt.jsonl",
        "{\"question_id\": 1, \"answers\": [\"2\",\"2\",\"2\",\"two\",\"3\",\"3\",\"3\",\"3\",\"3\",\"3\"]}",
        "{\"question_id\": 2, \"answers\": [\"cat\",\"dog\",\"dog\",\"dog\",\"dog\",\"dog\",\"dog\",\"dog\",\"dog\",\"dog\"]}",
        "{\"question_id\": 3, \"answers\": [\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\"]}");
    Path pred = file("pred.jsonl",
        "{\"question_id\": 1, \"answer\": \"Two.\"}",
        "",
        "{\"question_id\": 2, \"answer\": \"cat\", \"extra\": true}",
        "{\"question_id\": 7, \"answer\": \"x\"}");
    Path report = dir.resolve("reports/textvqa.json");
    Result r = run("score", "--task", "textvqa", "--pred", pred.toString(), "--gt", gt.toString(),
        "--out", report.toString());
    assertEquals(0, r.exit(), r.err());
    JsonNode json = new ObjectMapper().readTree(report.toFile());
    // "Two." -> "2" matches 4 answers after EvalAI normalisation (1.0); one "cat" of 10 (0.3);
    // question 3 has no prediction (0): (1.0 + 0.3 + 0) / 3 in percent
    assertEquals(130.0 / 3, json.get("overall").asDouble(), 1e-12);
    assertEquals("evalai", json.get("variant").asText());
    assertEquals("3", json.get("missing_predictions").get("question_ids").get(0).asText());
    assertEquals("7", json.get("unknown_question_ids").get("question_ids").get(0).asText());
    assertEquals(json, new ObjectMapper().readTree(r.out()));
    assertTrue(r.err().contains("1 missing predictions"), r.err());

    Result official = run("score", "--task", "textvqa", "--vqa-normalization", "official",
        "--pred", pred.toString(), "--gt", gt.toString());
    assertEquals(0, official.exit(), official.err());
    assertEquals("official", new ObjectMapper().readTree(official.out()).get("variant").asText());
  }

  @Test
  void malformedLinesAreNamed() throws IOException {
    Path gt = file("gt.jsonl", "{\"question_id\": 1, \"answers\": [\"a\"]}");
    Path bad = file("pred.jsonl", "{\"question_id\": 1, \"answer\": \"a\"}", "{\"question_id\": 2, \"answer\": ");
    Result r = run("score", "--task", "docvqa", "--pred", bad.toString(), "--gt", gt.toString());
    assertEquals(1, r.exit());
    assertTrue(r.err().contains("pred.jsonl:2: not valid JSON"), r.err());

    Path noAnswer = file("pred2.jsonl", "{\"question_id\": 1, \"answer\": 5}");
    Result r2 = run("score", "--task", "docvqa", "--pred", noAnswer.toString(), "--gt", gt.toString());
    assertEquals(1, r2.exit());
    assertTrue(r2.err().contains("pred2.jsonl:1: \"answer\" must be a string, found 5"), r2.err());

    Path dup = file("gt2.jsonl", "{\"question_id\": 1, \"answers\": [\"a\"]}", "{\"question_id\": 1, \"answers\": [\"b\"]}");
    Path good = file("pred3.jsonl", "{\"question_id\": 1, \"answer\": \"a\"}");
    Result r3 = run("score", "--task", "docvqa", "--pred", good.toString(), "--gt", dup.toString());
    assertEquals(1, r3.exit());
    assertTrue(r3.err().contains("gt2.jsonl:2: question_id 1 also appears on line 1"), r3.err());
  }

  @Test
  void usageErrorsExitWithTwo() throws IOException {
    Path gt = file("gt.jsonl", "{\"question_id\": 1, \"answers\": [\"a\"]}");
    assertEquals(2, run("score", "--task", "docvqa", "--gt", gt.toString()).exit());
    Result unknown = run("score", "--task", "nope", "--pred", gt.toString(), "--gt", gt.toString());
    assertEquals(2, unknown.exit());
    assertTrue(unknown.err().contains("unknown --task 'nope'"), unknown.err());
    assertEquals(2, run("score", "--task", "docvqa", "--anls-variant", "x", "--pred", gt.toString(),
        "--gt", gt.toString()).exit());
    assertEquals(2, run("frobnicate").exit());
    assertEquals(2, run().exit());
  }

  @Test
  void missingFileIsBadInput() {
    Result r = run("score", "--task", "chartqa", "--pred", dir.resolve("none.jsonl").toString(),
        "--gt", dir.resolve("none.jsonl").toString());
    assertEquals(1, r.exit());
    assertTrue(r.err().contains("none.jsonl: no such file"), r.err());
  }

  @Test
  void helpTellsTheTruth() {
    Result r = run("score", "--help");
    assertEquals(0, r.exit());
    assertTrue(r.out().contains("This command only scores; `eval run` generates"), r.out());
    assertTrue(r.out().contains("textvqa") && r.out().contains("geneval") && r.out().contains("fid"), r.out());
    assertTrue(r.out().contains("--images-a") && r.out().contains("export_fid_inception.py"), r.out());
    Result top = run("--help");
    assertEquals(0, top.exit());
    assertTrue(top.out().contains("`run` generates a checkpoint's answers") && top.out().contains("`report` writes"),
        top.out());
  }

  @Test
  void fidFromPytorchFidStatsFiles() throws URISyntaxException, IOException {
    Path a = Path.of(getClass().getResource("/reference/fid_stats_a.npz").toURI());
    Path b = Path.of(getClass().getResource("/reference/fid_stats_b.npz").toURI());
    Result r = run("score", "--task", "fid", "--stats-a", a.toString(), "--stats-b", b.toString());
    assertEquals(0, r.exit(), r.err());
    double expected = 0;
    for (JsonNode c : ReferenceFixtures.load("fid_reference.json").get("frechet")) {
      if (c.get("name").asText().equals("few_samples")) {
        expected = c.get("fid").asDouble();
      }
    }
    assertEquals(expected, new ObjectMapper().readTree(r.out()).get("overall").asDouble(), 1e-5 * expected);
  }

  @Test
  void genevalFromDetections() throws IOException {
    // prompt 0 is "a photo of a bench"; prompt 1 "a photo of a cow"
    Path det = file("det.jsonl",
        "{\"index\": 0, \"sample\": 0, \"detections\": [{\"class\": \"bench\", \"score\": 0.8, \"box\": [0, 0, 5, 5]}]}",
        "{\"index\": 1, \"sample\": 0, \"detections\": [{\"class\": \"cow\", \"score\": 0.2, \"box\": [0, 0, 5, 5]}]}");
    Result r = run("score", "--task", "geneval", "--detections", det.toString());
    assertEquals(0, r.exit(), r.err());
    JsonNode json = new ObjectMapper().readTree(r.out());
    assertEquals(0.5, json.get("overall").asDouble(), 0.0);
    assertEquals(551, json.get("prompts_without_images").get("count").asInt());
  }

  /**
   * Two image folders end to end with the narrowed random FID Inception: the statistics pytorch-fid
   * computes and saves for the same images and weights, and its calculate_frechet_distance
   * (fid_inception_fixture.py).
   */
  @Test
  void fidFromImageFoldersMatchesPytorchFid() throws URISyntaxException, IOException {
    Path images = resource("/reference/fid_images");
    Path model = resource("/reference/fid_inception_narrow.safetensors");
    Path savedA = dir.resolve("a.npz");
    Path savedB = dir.resolve("b.npz");
    Result r = run("score", "--task", "fid", "--images-a", images.resolve("a").toString(),
        "--images-b", images.resolve("b").toString(), "--inception", model.toString(), "--batch-size", "2",
        "--save-stats-a", savedA.toString(), "--save-stats-b", savedB.toString());
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.err().contains("2/3 images") && r.err().contains("4/4 images"), "progress lines: " + r.err());
    assertTrue(r.err().contains("not comparable with published FID"), r.err());
    JsonNode json = new ObjectMapper().readTree(r.out());
    double expected = ReferenceFixtures.load("fid_inception_reference.json").get("fid_bilinear").asDouble();
    assertEquals(expected, json.get("overall").asDouble(), 1e-4 * expected);
    assertEquals(4, json.get("inputs").get("images_b_count").asInt());
    assertEquals("bilinear", json.get("inputs").get("resize").asText());
    assertStatsClose(NpzStats.read(resource("/reference/fid_images_a_stats.npz")), NpzStats.read(savedA));
    assertStatsClose(NpzStats.read(resource("/reference/fid_images_b_stats.npz")), NpzStats.read(savedB));
  }

  @Test
  void fidImageFolderErrorsNameTheProblem() throws URISyntaxException, IOException {
    Path model = resource("/reference/fid_inception_narrow.safetensors");
    Path good = resource("/reference/fid_images/b");
    Path empty = Files.createDirectories(dir.resolve("empty"));
    Result r = run("score", "--task", "fid", "--images-a", empty.toString(), "--images-b", good.toString(),
        "--inception", model.toString());
    assertEquals(1, r.exit());
    assertTrue(r.err().contains(empty + ": holds no images"), r.err());

    Path broken = Files.createDirectories(dir.resolve("broken"));
    Files.copy(good.resolve("img0.png"), broken.resolve("img0.png"));
    Files.writeString(broken.resolve("img1.png"), "not a png");
    r = run("score", "--task", "fid", "--images-a", broken.toString(), "--images-b", good.toString(),
        "--inception", model.toString());
    assertEquals(1, r.exit());
    assertTrue(r.err().contains(broken.resolve("img1.png").toString()), r.err());

    Path notModel = file("model.safetensors", "{}");
    r = run("score", "--task", "fid", "--images-a", good.toString(), "--images-b", good.toString(),
        "--inception", notModel.toString());
    assertEquals(1, r.exit());
    assertTrue(r.err().contains(notModel.toString()) && r.err().contains("export_fid_inception.py"), r.err());

    r = run("score", "--task", "fid", "--images-a", good.toString(), "--images-b", good.toString());
    assertEquals(2, r.exit());
    assertTrue(r.err().contains("need --inception"), r.err());
    r = run("score", "--task", "fid", "--images-a", good.toString(), "--stats-a", good.toString(),
        "--images-b", good.toString(), "--inception", model.toString());
    assertEquals(2, r.exit());
    assertTrue(r.err().contains("exactly one of --stats-a and --images-a"), r.err());
  }

  private Path resource(String name) throws URISyntaxException {
    return Path.of(getClass().getResource(name).toURI());
  }

  private static void assertStatsClose(GaussianStats expected, GaussianStats actual) {
    assertEquals(expected.dimension(), actual.dimension());
    for (int i = 0; i < expected.dimension(); i++) {
      assertEquals(expected.mean()[i], actual.mean()[i], 1e-4 * Math.max(1, Math.abs(expected.mean()[i])), "mu " + i);
      for (int j = 0; j < expected.dimension(); j++) {
        assertEquals(expected.covariance()[i][j], actual.covariance()[i][j], 1e-4, "sigma " + i + "," + j);
      }
    }
  }
}
