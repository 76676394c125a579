package org.synergen.eval.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.synergen.eval.geneval.GenEvalMetadata;

/**
 * `eval run` end to end on the committed fixtures of scripts/fixtures/make_eval_run_fixtures.py,
 * with the stand-in colour-naming model: the ground truth it hands to the scorer is the script's,
 * its scores are those of `eval score` on its predictions, and those scores are the ones worked out
 * by hand from the fixture tables.
 */
class RunCommandTest {
  @TempDir
  Path dir;

  /**
   * Hand-computed overall scores (the stand-in names each image's colour):
   * textvqa: q1 1 (8 of 10 say red), q2 0.6 (2 say green: EvalAI's leave-one-out mean of
   * min(1, n/3) = (2 * 1/3 + 8 * 2/3) / 10), q3 0 -> 53.33; docvqa: 1, 1, and "blue" vs "bleu" at
   * normalised distance exactly 0.5, which RRC's ANLS counts as 0.5 -> 83.33; chartqa, gqa: 2 of 3;
   * infovqa: 1 of 2; pope: random P 1/2 R 1 F1 2/3, adversarial P 1 R 1/2 F1 2/3 -> 66.67; mme:
   * existence acc 3/4 + acc+ 1/2 = 125, artwork 200 -> 325.
   */
  @ParameterizedTest
  @CsvSource({
      "textvqa, textvqa_tsv/TextVQA_VAL.tsv, textvqa_tsv, 53.333333333",
      "textvqa, textvqa_json/TextVQA_0.5.1_val.json, textvqa_json, 53.333333333",
      "docvqa, docvqa_json/val_v1.0.json, docvqa_json, 83.333333333",
      "chartqa, chartqa_json/test_human.json, chartqa_json, 66.666666667",
      "chartqa, chartqa_tsv/ChartQA_TEST.tsv, chartqa_tsv, 66.666666667",
      "infovqa, infovqa_json/infographicsVQA_val_v1.0_withQT.json, infovqa_json, 50",
      "gqa, gqa_json/testdev_balanced_questions.json, gqa_json, 66.666666667",
      "pope, pope_json, pope_json, 66.666666667",
      "pope, pope_tsv/POPE.tsv, pope_tsv, 66.666666667",
      "mme, mme_folder, mme_folder, 325",
      "mme, mme_tsv/MME.tsv, mme_tsv, 325"})
  void scoresAreThoseOfEvalScoreOnTheSamePredictions(String task, String data, String expected, double overall) {
    Path out = dir.resolve("run");
    EvalCli.Result r = EvalCli.withColourNamer("run", "--task", task, "--checkpoint", "stand-in", "--data",
        EvalCli.resource("/run/" + data).toString(), "--out", out.toString());
    assertEquals(0, r.exit(), r.err());

    Path expectedGt = EvalCli.resource("/run/expected/" + expected + ".jsonl");
    assertEquals(EvalCli.jsonLines(expectedGt), EvalCli.jsonLines(out.resolve(RunFiles.GROUND_TRUTH)));

    Path scored = dir.resolve("score.json");
    EvalCli.Result s = EvalCli.withColourNamer("score", "--task", task, "--pred",
        out.resolve(RunFiles.PREDICTIONS).toString(), "--gt", expectedGt.toString(), "--out", scored.toString());
    assertEquals(0, s.exit(), s.err());
    JsonNode ours = EvalCli.json(out.resolve(RunFiles.SCORE));
    assertEquals(EvalCli.withoutInputs(EvalCli.json(scored)), EvalCli.withoutInputs(ours));
    assertEquals(overall, ours.get("overall").asDouble(), 1e-6);
    assertEquals(task, EvalCli.json(out.resolve(RunFiles.RUN)).get("task").asText());
    assertTrue(r.err().contains("questions (") && r.err().contains("done in"), "a progress line: " + r.err());
  }

  @Test
  void questionsGetTheBenchmarkSuffixAndTheirImages() {
    ColourNamer.PROMPTS.clear();
    EvalCli.Result r = EvalCli.withColourNamer("run", "--task", "textvqa", "--checkpoint", "stand-in", "--data",
        EvalCli.resource("/run/textvqa_tsv/TextVQA_VAL.tsv").toString(), "--out", dir.toString());
    assertEquals(0, r.exit(), r.err());
    assertEquals(List.of("1|What colour is the sign? Answer the question using a single word or phrase.",
        "1|What colour is the car? Answer the question using a single word or phrase.",
        "1|What colour is the sky? Answer the question using a single word or phrase."), ColourNamer.PROMPTS);
    // the third row's image cell is the first row's index: the stand-in saw the first row's red image
    assertEquals("red", EvalCli.jsonLines(dir.resolve(RunFiles.PREDICTIONS)).get(2).get("answer").asText());
  }

  @Test
  void genevalWritesTheOfficialLayoutAndScoresDetections() throws IOException {
    Path out = dir.resolve("geneval");
    String[] args = {"run", "--task", "geneval", "--checkpoint", "stand-in", "--limit", "3", "--images-per-prompt", "2",
        "--size", "8", "--seed", "7", "--out", out.toString()};
    EvalCli.Result r = EvalCli.withColourNamer(args);
    assertEquals(0, r.exit(), r.err());
    assertFalse(Files.exists(out.resolve(RunFiles.SCORE)), "no detections, no score");
    List<JsonNode> samples = EvalCli.jsonLines(out.resolve(RunFiles.SAMPLES));
    assertEquals(6, samples.size());
    Set<Long> seeds = new HashSet<>();
    for (int index = 0; index < 3; index++) {
      Path folder = out.resolve("images").resolve(String.format("%05d", index));
      assertEquals(EvalCli.JSON.valueToTree(GenEvalMetadata.official().get(index).metadata()),
          EvalCli.JSON.readTree(Files.readString(folder.resolve("metadata.jsonl"))));
      for (int s = 0; s < 2; s++) {
        BufferedImage image = ImageIO.read(folder.resolve("samples").resolve(String.format("%04d.png", s)).toFile());
        assertEquals(8, image.getWidth());
        JsonNode sample = samples.get(index * 2 + s);
        assertEquals(index, sample.get("index").asInt());
        assertEquals(GenEvalMetadata.official().get(index).prompt(), sample.get("prompt").asText());
        seeds.add(sample.get("seed").asLong());
        // the stand-in writes the seed's low byte into the first pixel: the image was drawn from that seed
        assertEquals(sample.get("seed").asLong() & 0xFF, image.getRGB(0, 0) & 0xFF);
      }
    }
    assertEquals(6, seeds.size(), "every image has its own seed");

    // the same run again draws the same images
    byte[] before = Files.readAllBytes(out.resolve("images/00002/samples/0001.png"));
    assertEquals(0, EvalCli.withColourNamer(args).exit());
    assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(out.resolve("images/00002/samples/0001.png"))));

    // detections: (0,0) bench, (0,1) none, (1,0) cow, (1,1) a dog, (2,*) bicycles -> 4 of 6 single objects
    Path det = dir.resolve("det.jsonl");
    Files.write(det, List.of(
        "{\"index\": 0, \"sample\": 0, \"detections\": [{\"class\": \"bench\", \"score\": 0.9, \"box\": [0, 0, 4, 4]}]}",
        "{\"index\": 0, \"sample\": 1, \"detections\": []}",
        "{\"index\": 1, \"sample\": 0, \"detections\": [{\"class\": \"cow\", \"score\": 0.9, \"box\": [0, 0, 4, 4]}]}",
        "{\"index\": 1, \"sample\": 1, \"detections\": [{\"class\": \"dog\", \"score\": 0.9, \"box\": [0, 0, 4, 4]}]}",
        "{\"index\": 2, \"sample\": 0, \"detections\": [{\"class\": \"bicycle\", \"score\": 0.9, \"box\": [0, 0, 4, 4]}]}",
        "{\"index\": 2, \"sample\": 1, \"detections\": [{\"class\": \"bicycle\", \"score\": 0.8, \"box\": [1, 1, 4, 4]}]}"));
    String[] scored = java.util.Arrays.copyOf(args, args.length + 2);
    scored[args.length] = "--detections";
    scored[args.length + 1] = det.toString();
    assertEquals(0, EvalCli.withColourNamer(scored).exit());
    JsonNode ours = EvalCli.json(out.resolve(RunFiles.SCORE));
    assertEquals(4.0 / 6, ours.get("overall").asDouble(), 1e-12);
    Path alone = dir.resolve("alone.json");
    assertEquals(0, EvalCli.withColourNamer("score", "--task", "geneval", "--detections", det.toString(), "--metadata",
        out.resolve("evaluation_metadata.jsonl").toString(), "--out", alone.toString()).exit());
    assertEquals(EvalCli.withoutInputs(EvalCli.json(alone)), EvalCli.withoutInputs(ours));
  }

  @Test
  void fidOfTheDrawnImagesIsThatOfEvalScoreOnTheFolder() throws IOException {
    Path captions = dir.resolve("captions.txt");
    Files.write(captions, List.of("a red square", "a green square", "", "a blue square"));
    Path out = dir.resolve("fid");
    Path reference = EvalCli.resource("/reference/fid_images/b");
    Path inception = EvalCli.resource("/reference/fid_inception_narrow.safetensors");
    EvalCli.Result r = EvalCli.withColourNamer("run", "--task", "fid", "--checkpoint", "stand-in", "--data",
        captions.toString(), "--size", "16", "--reference", reference.toString(), "--reference-name", "tiny",
        "--inception", inception.toString(), "--out", out.toString());
    assertEquals(0, r.exit(), r.err());
    assertEquals(3, EvalCli.jsonLines(out.resolve(RunFiles.SAMPLES)).size());
    Path alone = dir.resolve("alone.json");
    EvalCli.Result s = EvalCli.withColourNamer("score", "--task", "fid", "--images-a", out.resolve("images").toString(),
        "--images-b", reference.toString(), "--inception", inception.toString(), "--out", alone.toString());
    assertEquals(0, s.exit(), s.err());
    JsonNode ours = EvalCli.json(out.resolve(RunFiles.SCORE));
    assertEquals(EvalCli.json(alone).get("overall"), ours.get("overall"));
    assertTrue(ours.get("overall").asDouble() > 0);
    assertEquals("tiny", EvalCli.json(out.resolve(RunFiles.RUN)).get("reference_name").asText());
  }

  private EvalCli.Result badRun(String task, Path data) {
    EvalCli.Result r = EvalCli.withColourNamer("run", "--task", task, "--checkpoint", "stand-in", "--data",
        data.toString(), "--out", dir.resolve("bad").toString());
    assertEquals(2, r.exit(), r.err());
    return r;
  }

  @Test
  void badInputNamesTheFileAndRowAndExitsTwo() throws IOException {
    String b64 = java.util.Base64.getEncoder().encodeToString(
        Files.readAllBytes(EvalCli.resource("/run/chartqa_json/png/c1.png")));

    Path missing = dir.resolve("missing.tsv");
    Files.writeString(missing, "index\timage_path\tquestion\tanswer\n1\tc1.png\tq?\ta\n2\tnot-there.png\tq?\ta\n");
    Files.copy(EvalCli.resource("/run/chartqa_json/png/c1.png"), dir.resolve("c1.png"));
    String err = badRun("chartqa", missing).err();
    assertTrue(err.contains(missing + ":3") && err.contains("not-there.png") && err.contains("does not exist"), err);

    Path unknown = dir.resolve("unknown.tsv");
    Files.writeString(unknown, "index\timage\tquestion\tanswer\tcolour\n1\t" + b64 + "\tq?\ta\tred\n");
    err = badRun("textvqa", unknown).err();
    assertTrue(err.contains(unknown + ":1") && err.contains("unknown column \"colour\""), err);

    Path empty = dir.resolve("empty.tsv");
    Files.writeString(empty, "");
    err = badRun("docvqa", empty).err();
    assertTrue(err.contains(empty.toString()) && err.contains("empty"), err);

    Path emptyJson = dir.resolve("TextVQA_0.5.1_val.json");
    Files.writeString(emptyJson, "");
    err = badRun("textvqa", emptyJson).err();
    assertTrue(err.contains(emptyJson.toString()) && err.contains("empty"), err);

    Path json = dir.resolve("val_v1.0.json");
    Files.writeString(json, "{\"data\": [{\"questionId\": 5, \"question\": \"q?\", \"image\": \"documents/gone.png\", "
        + "\"answers\": [\"a\"]}]}");
    err = badRun("docvqa", json).err();
    assertTrue(err.contains(json + ": entry 0") && err.contains("gone.png"), err);

    Path badImage = dir.resolve("bad-image.tsv");
    Files.writeString(badImage, "index\timage\tquestion\tanswer\n1\t" + "QUJD".repeat(20) + "\tq?\ta\n");
    err = badRun("gqa", badImage).err();
    assertTrue(err.contains(badImage + ":2") && err.contains("not an image"), err);
  }

  @Test
  void helpNamesEveryTaskAndFormat() {
    EvalCli.Result r = EvalCli.run(null, "run", "--help");
    assertEquals(0, r.exit());
    for (String word : List.of("textvqa", "docvqa", "chartqa", "infovqa", "gqa", "pope", "mme", "geneval", "fid",
        "VLMEvalKit's TSV", "TextVQA_0.5.1_val.json", "val_v1.0.json", "coco_pope_", "--master")) {
      // picocli wraps long words anywhere: compare without white space
      assertTrue(r.out().replaceAll("\\s+", "").contains(word.replaceAll("\\s+", "")), word + " in\n" + r.out());
    }
  }

  @Test
  void aMissingCheckpointIsBadInputNamingIt() {
    EvalCli.Result r = EvalCli.run(null, "run", "--task", "textvqa", "--checkpoint", dir.resolve("no-ckpt").toString(),
        "--data", EvalCli.resource("/run/textvqa_tsv/TextVQA_VAL.tsv").toString(), "--out", dir.toString());
    assertEquals(2, r.exit(), r.err());
    assertTrue(r.err().contains("no-ckpt"), r.err());
  }

  @Test
  void sparkExecutorsGiveTheSameRun() {
    Path local = dir.resolve("local");
    Path spark = dir.resolve("spark");
    String data = EvalCli.resource("/run/pope_tsv/POPE.tsv").toString();
    assertEquals(0, EvalCli.withColourNamer("run", "--task", "pope", "--checkpoint", "stand-in", "--data", data,
        "--out", local.toString()).exit());
    EvalCli.Result r = EvalCli.withColourNamer("run", "--task", "pope", "--checkpoint", "stand-in-spark", "--data", data,
        "--out", spark.toString(), "--master", "local[2]");
    assertEquals(0, r.exit(), r.err());
    assertEquals(EvalCli.jsonLines(local.resolve(RunFiles.PREDICTIONS)), EvalCli.jsonLines(spark.resolve(RunFiles.PREDICTIONS)));
    assertEquals(EvalCli.withoutInputs(EvalCli.json(local.resolve(RunFiles.SCORE))),
        EvalCli.withoutInputs(EvalCli.json(spark.resolve(RunFiles.SCORE))));
    assertNotEquals(-1, r.err().indexOf("done in"), r.err());
  }
}
