package org.synergen.tokenize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import javax.imageio.ImageIO;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.synergen.data.TokenShard;
import org.synergen.data.TokenShardReader;
import org.synergen.data.TokenShardRow;
import org.synergen.text.ByteTokenizer;

/**
 * {@code tokenize conversations} on a fixture with three good lines and one bad line of each kind:
 * rows in == rows out, in order, each bad row with its reason, exit 0. Sizes are tiny: 64-pixel
 * tiles, data/vq-tiny's factor 4 gives 16x16 ids = 32 folded tokens (2x4) per tile.
 */
class ConversationsCommandTest {
  private static final Path HOME = Path.of("..").toAbsolutePath().normalize();
  @TempDir Path dir;

  @Test
  void everyLineGivesOneRowAndBadLinesSayWhy() throws Exception {
    System.setProperty("synergen.home", HOME.toString());
    SparkSession.builder().master("local[1]").appName("conversations-test")
        .config("spark.ui.enabled", "false").getOrCreate().sparkContext().setLogLevel("WARN");
    Path images = Files.createDirectories(dir.resolve("images"));
    BufferedImage wide = new BufferedImage(128, 64, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 64; y++) {
      for (int x = 0; x < 128; x++) {
        wide.setRGB(x, y, (x * 2) << 16 | (y * 4) << 8 | 90);
      }
    }
    ImageIO.write(wide, "png", images.resolve("wide.png").toFile());
    String photo = HOME.resolve("data/sample/images/astronaut.jpg").toUri().toString(); // any Hadoop path
    String longAnswer = "x".repeat(3000);
    List<String> lines = List.of(
        "{\"id\":\"tagged\",\"image\":\"wide.png\",\"conversations\":[{\"from\":\"human\",\"value\":\"<image>\\nColour?\"},"
            + "{\"from\":\"gpt\",\"value\":\"Blue.\"},{\"from\":\"human\",\"value\":\"Sure?\"},{\"from\":\"gpt\",\"value\":\"Yes.\"}]}",
        "{\"id\":\"two-untagged\",\"image\":[\"wide.png\",\"" + photo + "\"],\"conversations\":[{\"from\":\"system\",\"value\":\"Be brief.\"},"
            + "{\"from\":\"human\",\"value\":\"Same?\"},{\"from\":\"gpt\",\"value\":\"No.\"}]}",
        "{\"id\":\"draw\",\"conversations\":[{\"from\":\"human\",\"value\":\"Draw it.\"},{\"from\":\"gpt\",\"image\":\"wide.png\"}]}",
        "{\"id\":\"missing\",\"image\":\"nowhere.png\",\"conversations\":[{\"from\":\"human\",\"value\":\"<image>\"},{\"from\":\"gpt\",\"value\":\"?\"}]}",
        "{\"id\":\"no-answer\",\"image\":\"wide.png\",\"conversations\":[{\"from\":\"human\",\"value\":\"<image> hi\"}]}",
        "{\"id\":\"too-long\",\"conversations\":[{\"from\":\"human\",\"value\":\"Talk.\"},{\"from\":\"gpt\",\"value\":\"" + longAnswer + "\"}]}",
        "{\"id\":\"mismatch\",\"image\":\"wide.png\",\"conversations\":[{\"from\":\"human\",\"value\":\"<image> and <image>\"},{\"from\":\"gpt\",\"value\":\"?\"}]}",
        "{\"id\":\"answer-after-input\",\"image\":\"wide.png\",\"conversations\":[{\"from\":\"human\",\"value\":\"<image> again\"},{\"from\":\"gpt\",\"image\":\"wide.png\"}]}",
        "",
        "{not json");
    Path input = dir.resolve("conversations.jsonl");
    Files.writeString(input, String.join("\n", lines) + "\n");
    Path out = dir.resolve("tokens");
    int rc = TokenizeJob.commandLine().execute("conversations", "--input", input.toString(), "--output", out.toString(),
        "--image-root", images.toString(), "--vq", HOME.resolve("data/vq-tiny").toString(), "tokenize.tile-size=64",
        "tokenize.encode-batch=4", "model.vision.codebook-size=1024", "tokenize.conversations.sequence-length=2000");
    assertEquals(0, rc);
    List<TokenShardRow> rows = TokenShardReader.readAll(new org.apache.hadoop.fs.Path(
        out.resolve(TokenShard.parquetName(0)).toUri()), new Configuration());
    assertEquals(List.of("tagged", "two-untagged", "draw", "missing", "no-answer", "too-long", "mismatch",
        "answer-after-input", "conversations.jsonl:10"), rows.stream().map(TokenShardRow::key).toList());
    String[] reasons = {null, null, null, "missing image: nowhere.png", "no assistant turn", "too long: 30",
        "placeholder count mismatch: 2 <image> tags for 1 images", "image answer after input images is not supported",
        "malformed conversation: not JSON"};
    for (int i = 0; i < rows.size(); i++) {
      TokenShardRow r = rows.get(i);
      if (reasons[i] == null) {
        assertEquals(TokenShardRow.SUCCESS, r.status(), r.key() + ": " + r.errorMessage());
      } else {
        assertEquals(TokenShard.FAILED_TO_TOKENIZE, r.status(), r.key());
        assertTrue(r.errorMessage().startsWith(reasons[i]), r.key() + ": " + r.errorMessage());
      }
    }
    assertEquals(List.of("und", "und", "gen", "und", "und", "und", "und", "gen", "und"),
        rows.stream().map(TokenShardRow::task).toList());

    ByteTokenizer tok = new ByteTokenizer();
    // 128x64 at 64-pixel tiles: InternVL picks the 2x1 grid (8 tiles have the same aspect but the
    // image is smaller than half their area), plus the thumbnail: 3 tiles of 32 tokens
    TokenShardRow tagged = rows.get(0);
    assertEquals(3, tagged.tiles().size());
    assertEquals(96, placeholders(tagged));
    assertEquals("<s><|im_start|>user\n<boi><eoi>\nColour?<|im_end|>\n<|im_start|>assistant\nBlue.<|im_end|>\n"
        + "<|im_start|>user\nSure?<|im_end|>\n<|im_start|>assistant\nYes.<|im_end|>\n", text(tok, tagged));
    assertEquals("Blue.<|im_end|>Yes.<|im_end|>", supervised(tok, tagged));
    assertFalse(tagged.imageLoss());
    // two images without tags go first, in order: wide (3 tiles), then the 512x512 photo: of the
    // square grids up to 12 tiles the largest (3x3) wins the tie, as its area is below the photo's, + thumbnail
    TokenShardRow two = rows.get(1);
    assertEquals(3 + 10, two.tiles().size());
    assertEquals("<s><|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\n<boi><eoi><boi><eoi>\nSame?<|im_end|>\n"
        + "<|im_start|>assistant\nNo.<|im_end|>\n", text(tok, two));
    // the image answer: one 16x16 grid of the whole image, <boi>/<eoi>/<|im_end|> are text targets
    TokenShardRow draw = rows.get(2);
    assertTrue(draw.imageLoss());
    assertEquals(1, draw.tiles().size());
    assertEquals(16, draw.tiles().get(0).rows());
    assertEquals(32, placeholders(draw));
    assertEquals("<boi><eoi><|im_end|>", supervised(tok, draw));
  }

  private static long placeholders(TokenShardRow r) {
    return Arrays.stream(r.inputIds()).filter(id -> id == TokenShardRow.IMAGE_PLACEHOLDER).count();
  }

  private static String text(ByteTokenizer tok, TokenShardRow r) {
    return tok.decode(Arrays.stream(r.inputIds()).filter(id -> id != TokenShardRow.IMAGE_PLACEHOLDER).toArray(), false);
  }

  private static String supervised(ByteTokenizer tok, TokenShardRow r) {
    int[] ids = r.inputIds();
    return tok.decode(IntStream.range(0, ids.length).filter(i -> r.textLoss()[i]).map(i -> ids[i]).toArray(), false);
  }
}
