package org.synergen.tokenize;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * encode-text / decode-text against HF tokenizers' parity table (core's
 * scripts/fixtures/make_tokenizer_fixtures.py), encode-text --chat against transformers'
 * apply_chat_template + InternVL's masks (make_chat_fixtures.py), tiles against InternVL's
 * dynamic_preprocess grid and boxes (make_chat_fixtures.py).
 */
class TextToolsTest {
  private static final Path CORE = Path.of("../core/src/test/resources");
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  private static String run(String... args) {
    StringWriter out = new StringWriter();
    CommandLine cli = TokenizeJob.commandLine();
    cli.setOut(new PrintWriter(out));
    assertEquals(0, cli.execute(args), String.join(" ", args));
    return out.toString();
  }

  @Test
  void encodeAndDecodeTextEqualHfTokenizers() throws Exception {
    for (String name : List.of("qwen2", "llama")) {
      String tokenizer = CORE.resolve("text/" + name + ".tokenizer.json").toString();
      for (JsonNode c : JSON.readTree(CORE.resolve("text/" + name + ".parity.json").toFile()).get("cases")) {
        String text = c.get("text").asText();
        if (text.isEmpty() || text.startsWith("-")) {
          continue; // picocli reads a leading '-' as an option; an empty --text has nothing to show
        }
        JsonNode got = JSON.readTree(run("encode-text", "--tokenizer", tokenizer, "--text", text));
        assertEquals(c.get("ids"), got.get("ids"), name + " " + text);
        List<String> ids = new ArrayList<>();
        c.get("ids").forEach(i -> ids.add(i.asText()));
        assertEquals(c.get("decoded").asText() + "\n",
            run("decode-text", "--tokenizer", tokenizer, "--ids", String.join(",", ids)), name + " decode " + text);
      }
    }
  }

  @Test
  void encodeChatEqualsApplyChatTemplateAndInternVlMasks() throws Exception {
    String tokenizer = CORE.resolve("chat/qwen2.tokenizer.json").toString();
    for (JsonNode c : JSON.readTree(CORE.resolve("chat/qwen2.chat.json").toFile()).get("cases")) {
      Path chat = dir.resolve("chat.json");
      Files.writeString(chat, JSON.writeValueAsString(c.get("messages")));
      JsonNode got = JSON.readTree(run("encode-text", "--tokenizer", tokenizer, "--chat", chat.toString()));
      assertEquals(c.get("ids"), got.get("ids"), c.get("name").asText());
      List<Boolean> loss = StreamSupport.stream(got.get("text_loss").spliterator(), false).map(n -> n.asInt() == 1).toList();
      List<Boolean> expected = StreamSupport.stream(c.get("text_loss").spliterator(), false).map(JsonNode::asBoolean).toList();
      assertEquals(expected, loss, c.get("name").asText());
      assertEquals(c.get("image_loss"), got.get("image_loss"));
    }
  }

  @Test
  void tilesEqualInternVlDynamicPreprocess() throws Exception {
    for (JsonNode c : JSON.readTree(Path.of("src/test/resources/text-tools/tiles.json").toFile())) {
      List<String> args = new ArrayList<>(List.of("tiles", "--width", c.get("width").asText(), "--height",
          c.get("height").asText(), "--min-tiles", c.get("min").asText(), "--max-tiles", c.get("max").asText(),
          "--tile-size", c.get("tile").asText()));
      if (c.get("thumbnail").asBoolean()) {
        args.add("--thumbnail");
      }
      JsonNode got = JSON.readTree(run(args.toArray(String[]::new)));
      for (String k : List.of("cols", "rows", "tiles", "boxes")) {
        assertEquals(c.get(k), got.get(k), k + " for " + c);
      }
    }
  }
}
