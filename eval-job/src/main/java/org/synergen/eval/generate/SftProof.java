package org.synergen.eval.generate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.image.BufferedImage;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.apache.hadoop.conf.Configuration;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.synergen.config.ModelConfig;
import org.synergen.data.TokenShardRow;
import org.synergen.model.ModelCheckpoint;
import org.synergen.model.SynerGenModel;
import org.synergen.model.decode.IncrementalDecoder;
import org.synergen.model.decode.Prompt;
import org.synergen.train.data.SampleLayout;
import org.synergen.train.data.SampleSource;
import org.synergen.train.data.TokenShardSamples;

/**
 * The SFT accuracy proof's two ends (bin/prove-sft runs the jobs in between), on ColourProof's
 * solid-colour images. {@code data DIR PER_COLOUR} writes the images (with colour captions, for
 * pretraining) and instruction conversations in InternVL's JSON-lines format: two questions with one
 * right short answer that no caption teaches (the colour's name in Spanish; its first letter), and a
 * drawing instruction per training image; {@code heldout.jsonl} asks the same questions about
 * held-out shades. {@code score CHECKPOINT VQ DIR HELDOUT_TOKENS} prints, over the held-out
 * conversations, the teacher-forced answer accuracy (every answer token, closing {@code <|im_end|>}
 * included, is the model's argmax given the true prefix) and the accuracy of greedy answers through
 * {@code generate text}'s path ({@link CheckpointGenerator#answer}).
 */
public final class SftProof {
  static final List<String> SPANISH = List.of("rojo", "verde", "azul", "amarillo", "negro", "blanco", "naranja", "morado");
  static final String IN_SPANISH = "What colour is this image in Spanish? Answer in one word.";
  static final String FIRST_LETTER = "What is the first letter of this image's colour?";
  private static final ObjectMapper JSON = new ObjectMapper();

  private SftProof() {}

  public static void main(String[] args) throws IOException {
    if (args.length == 3 && args[0].equals("data")) {
      data(Path.of(args[1]), Integer.parseInt(args[2]));
    } else if (args.length == 5 && args[0].equals("score")) {
      score(Path.of(args[1]), Path.of(args[2]), Path.of(args[3]), args[4]);
    } else {
      System.err.println("usage: SftProof data DIR PER_COLOUR | score CHECKPOINT VQ DATA_DIR HELDOUT_TOKENS");
      System.exit(2);
    }
  }

  /** DIR/train, DIR/heldout (ColourProof's images), DIR/sft-train.jsonl, DIR/heldout.jsonl (images relative to DIR). */
  static void data(Path dir, int perColour) throws IOException {
    ColourProof.data(dir, perColour);
    int train = conversations(dir, "train", dir.resolve("sft-train.jsonl"), true);
    int heldout = conversations(dir, "heldout", dir.resolve("heldout.jsonl"), false);
    System.err.printf(Locale.ROOT, "sft data: %d training conversations, %d held-out questions in %s%n", train, heldout,
        dir);
  }

  private static int conversations(Path dir, String images, Path out, boolean withDrawing) throws IOException {
    List<Path> files;
    try (var s = Files.list(dir.resolve(images))) {
      files = s.filter(p -> p.toString().endsWith(".png")).sorted().toList();
    }
    int n = 0;
    try (BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
      for (Path p : files) {
        String colour = Files.readString(Path.of(p.toString().replace(".png", ".txt"))).strip();
        String image = images + "/" + p.getFileName();
        String id = p.getFileName().toString().replace(".png", "");
        for (String[] qa : questions(colour)) {
          w.write(ask(id + "-" + (qa[0].equals(IN_SPANISH) ? "es" : "letter"), image, qa[0], qa[1]));
          w.newLine();
          n++;
        }
        if (withDrawing) {
          ObjectNode c = JSON.createObjectNode().put("id", id + "-draw");
          ArrayNode turns = c.putArray("conversations");
          turns.addObject().put("from", "human").put("value", "Draw a " + colour + " image.");
          turns.addObject().put("from", "gpt").put("image", image);
          w.write(JSON.writeValueAsString(c));
          w.newLine();
          n++;
        }
      }
    }
    return n;
  }

  /** The two questions about an image of {@code colour} with their one right answer. */
  static List<String[]> questions(String colour) {
    int i = 0;
    while (!ColourProof.PALETTE.get(i).name().equals(colour)) {
      i++;
    }
    return List.of(new String[] {IN_SPANISH, SPANISH.get(i)}, new String[] {FIRST_LETTER, colour.substring(0, 1)});
  }

  private static String ask(String id, String image, String question, String answer) throws IOException {
    ObjectNode c = JSON.createObjectNode().put("id", id).put("image", image);
    ArrayNode turns = c.putArray("conversations");
    turns.addObject().put("from", "human").put("value", "<image>\n" + question);
    turns.addObject().put("from", "gpt").put("value", answer);
    return JSON.writeValueAsString(c);
  }

  static void score(Path checkpoint, Path vq, Path dir, String heldoutTokens) throws IOException {
    ModelCheckpoint.Loaded loaded = ModelCheckpoint.load(checkpoint);
    ModelConfig cfg = loaded.config();
    IncrementalDecoder decoder = new IncrementalDecoder(SynerGenModel.fromParameters(cfg, loaded.parameters()));
    int right = 0;
    int asked = 0;
    int tokensRight = 0;
    int tokens = 0;
    SampleSource shards = new TokenShardSamples(heldoutTokens, new Configuration());
    for (int split = 0; split < shards.splits(); split++) {
      try (SampleSource.Rows rows = shards.open(split)) {
        for (TokenShardRow r = rows.next(); r != null; r = rows.next()) {
          if (!TokenShardRow.UNDERSTANDING.equals(r.task()) || !TokenShardRow.SUCCESS.equals(r.status())) {
            continue;
          }
          SampleLayout l = SampleLayout.of(r, cfg.vision());
          INDArray logits = decoder.textLogits(decoder.fullForward(new Prompt(l.tokens(), l.image(), l.imageIds(),
              l.imagePos())));
          boolean all = true;
          for (int i = 0; i < l.length(); i++) {
            if (l.textLoss()[i]) {
              boolean ok = logits.getRow(i).argMax().getInt(0) == l.textTarget()[i];
              tokensRight += ok ? 1 : 0;
              tokens++;
              all &= ok;
            }
          }
          right += all ? 1 : 0;
          asked++;
        }
      }
    }

    GenerationOptions o = GenerationOptions.fromConf(GenerationOptions.home(), "sft");
    CheckpointGenerator gen = CheckpointGenerator.open(checkpoint, vq, null, o);
    int answered = 0;
    int questions = 0;
    for (String line : Files.readAllLines(dir.resolve("heldout.jsonl"), StandardCharsets.UTF_8)) {
      var c = JSON.readTree(line);
      BufferedImage img = ImageIO.read(dir.resolve(c.get("image").asText()).toFile());
      String question = c.get("conversations").get(0).get("value").asText();
      String truth = c.get("conversations").get(1).get("value").asText();
      String answer = gen.answer(List.of(img), question, 12);
      boolean ok = answer.strip().equals(truth);
      answered += ok ? 1 : 0;
      questions++;
      System.out.printf(Locale.ROOT, "%s -> '%s'%s%n", c.get("id").asText(), answer, ok ? "" : "  (want '" + truth + "')");
    }
    System.out.printf(Locale.ROOT, "%n| %s | teacher-forced answers | answer tokens | generate text answers |%n"
            + "|---|---|---|---|%n| held-out | %d/%d = %.0f%% | %d/%d = %.0f%% | %d/%d = %.0f%% |%n", checkpoint,
        right, asked, 100.0 * right / Math.max(1, asked), tokensRight, tokens, 100.0 * tokensRight / Math.max(1, tokens),
        answered, questions, 100.0 * answered / Math.max(1, questions));
  }
}
