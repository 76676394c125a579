package org.synergen.eval.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.synergen.config.ModelConfig;
import org.synergen.model.ModelCheckpoint;
import org.synergen.model.SynerGenModel;
import org.synergen.model.decode.Prompt;
import org.synergen.text.ChatTemplate;
import org.synergen.text.TokenSequence;

/** {@code synergen generate}: the command on real checkpoints, and its answers to bad input. */
class GenerateCommandTest {
  static final Path QWEN2 = Path.of("../core/src/test/resources/fixtures/hf/qwen2-gqa-f32");
  static final Path FIXTURE = Path.of("../core/src/test/resources/fixtures/generate/qwen2-gqa-f32.json");
  static final Path VQ = Path.of("../data/vq-tiny");

  @TempDir
  static Path tmp;
  static Path tiny;

  @BeforeAll
  static void tinyCheckpoint() throws Exception {
    System.setProperty("synergen.home", "..");
    ModelConfig cfg = ModelConfig.fromConfig(
        ConfigFactory.parseFile(Path.of("../conf/model/tiny.conf").toFile()).getConfig("model"));
    tiny = tmp.resolve("tiny");
    ModelCheckpoint.save(tiny, cfg, SynerGenModel.create(cfg, 3).parameters());
  }

  record Run(int code, String out, String err) {}

  static Run run(String... args) {
    StringWriter err = new StringWriter();
    PrintStream oldOut = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      int code = GenerateCommand.run(new PrintWriter(err, true), args);
      return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString());
    } finally {
      System.setOut(oldOut);
    }
  }

  @Test
  void promptIdsGiveTransformersGreedyIds() throws Exception {
    JsonNode fx = new ObjectMapper().readTree(FIXTURE.toFile());
    String prompt = join(fx.get("single").get("prompt"));
    Run r = run("text", "--checkpoint", QWEN2.toString(), "--prompt-ids", prompt, "--max-new-tokens", "32");
    assertEquals(0, r.code(), r.err());
    assertEquals(join(fx.get("single").get("ids")), r.out().strip());
  }

  @Test
  void badInputExitsTwoWithAReason() {
    Run missing = run("text", "--checkpoint", tmp.resolve("nope").toString(), "--prompt-ids", "1,2");
    assertEquals(2, missing.code());
    assertTrue(missing.err().contains("nope"), missing.err());
    Run badId = run("text", "--checkpoint", QWEN2.toString(), "--prompt-ids", "1,1000");
    assertEquals(2, badId.code());
    assertTrue(badId.err().contains("1000") && badId.err().contains("vocabulary"), badId.err());
    Run notIds = run("text", "--checkpoint", QWEN2.toString(), "--prompt-ids", "1,x");
    assertEquals(2, notIds.code());
    Run noTokenizer = run("text", "--checkpoint", QWEN2.toString(), "--prompt", "hello");
    assertEquals(2, noTokenizer.code());
    assertTrue(noTokenizer.err().contains("--prompt-ids"), noTokenizer.err());
    Run noImage = run("text", "--checkpoint", tiny.toString(), "--vq", VQ.toString(), "--prompt", "What?",
        "--image", tmp.resolve("missing.png").toString());
    assertEquals(2, noImage.code());
    assertTrue(noImage.err().contains("missing.png"), noImage.err());
    Run badSize = run("image", "--checkpoint", tiny.toString(), "--vq", VQ.toString(), "--prompt", "red",
        "--size", "30", "--out", tmp.resolve("x.png").toString());
    assertEquals(2, badSize.code());
    assertTrue(badSize.err().contains("30"), badSize.err());
  }

  @Test
  void drawsPngsOfTheAskedSizeOnePerCaption() throws Exception {
    Path one = tmp.resolve("red.png");
    Run r = run("image", "--checkpoint", tiny.toString(), "--vq", VQ.toString(), "--prompt", "red", "--size", "32",
        "--seed", "1", "--out", one.toString());
    assertEquals(0, r.code(), r.err());
    BufferedImage img = ImageIO.read(one.toFile());
    assertEquals(32, img.getWidth());
    assertEquals(32, img.getHeight());
    assertTrue(r.err().contains("positions") && r.err().contains("ETA"), r.err());
    Path captions = tmp.resolve("captions.txt");
    Files.writeString(captions, "red\n\nblue\ngreen\n");
    Path dir = tmp.resolve("many");
    Run many = run("image", "--checkpoint", tiny.toString(), "--vq", VQ.toString(), "--prompts", captions.toString(),
        "--size", "32", "--batch", "2", "--seed", "1", "--out", dir.toString());
    assertEquals(0, many.code(), many.err());
    assertEquals(List.of("0000.png", "0001.png", "0002.png"),
        Files.list(dir).map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList()));
    // caption 0 of the batch has seed 1 like the single run: the same image
    BufferedImage first = ImageIO.read(dir.resolve("0000.png").toFile());
    int[] a = img.getRGB(0, 0, 32, 32, null, 0, 32);
    int[] b = first.getRGB(0, 0, 32, 32, null, 0, 32);
    int worst = 0;
    int differing = 0;
    for (int i = 0; i < a.length; i++) {
      for (int sh = 0; sh < 24; sh += 8) {
        int d = Math.abs(((a[i] >> sh) & 0xFF) - ((b[i] >> sh) & 0xFF));
        worst = Math.max(worst, d);
        differing += d > 0 ? 1 : 0;
      }
    }
    assertTrue(worst == 0, "worst channel difference " + worst + ", differing channels " + differing);
  }

  @Test
  void aQuestionImageIsLaidOutAsTheTrainingSamplesAre() throws Exception {
    CheckpointGenerator gen = CheckpointGenerator.open(tiny, VQ, null, GenerationOptions.fromConf(Path.of(".."), "1"));
    BufferedImage photo = new BufferedImage(200, 150, BufferedImage.TYPE_INT_RGB);
    Prompt p = gen.questionPrompt(List.of(photo), "What colour?");
    int imageTokens = 0;
    for (boolean b : p.image()) {
      imageTokens += b ? 1 : 0;
    }
    // stage 1: one 128-px tile (conf/tokenize.conf), factor-4 VQ -> 32x32 ids -> 2x4 folding -> 128 tokens
    assertEquals(128, imageTokens);
    TokenSequence expected = new ChatTemplate(gen.tokenizer()).understandingPrompt(List.of(128), "What colour?");
    assertEquals(expected.length(), p.length());
    for (int i = 0; i < p.length(); i++) {
      if (!p.image()[i]) {
        assertEquals(expected.ids()[i], p.tokens()[i], "token " + i);
      }
    }
    String answer = gen.answer(List.of(photo), "What colour?", 5);
    assertTrue(answer.length() <= 5 * 4, "at most 5 tokens of text: " + answer);
  }

  static String join(JsonNode a) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < a.size(); i++) {
      b.append(i == 0 ? "" : ",").append(a.get(i).asInt());
    }
    return b.toString();
  }
}
