package org.synergen.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Instruction-tuning sequences against transformers: scripts/fixtures/make_chat_fixtures.py renders
 * each conversation with {@code apply_chat_template} (InternLM2-chat's template) on tokenizer.json
 * files made by HF tokenizers and masks it as InternVL's {@code preprocess_internvl2_5} does; ids,
 * text-loss mask and image-loss flag must be those exactly (multi-turn, system prompt, several
 * images, image answers), for a Qwen2-style and an InternLM2-style tokenizer.
 */
class ConversationTemplateParityTest {

  static Path resource(String name) {
    try {
      return Path.of(ConversationTemplateParityTest.class.getResource("/chat/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  @TestFactory
  Stream<DynamicTest> idsAndMasksEqualTransformersAndInternVl() throws Exception {
    List<DynamicTest> tests = new ArrayList<>();
    for (String name : List.of("qwen2", "internlm2")) {
      HfTokenizer tok = HfTokenizer.load(resource(name + ".tokenizer.json"));
      ChatTemplate chat = new ChatTemplate(tok);
      JsonNode table = new ObjectMapper().readTree(resource(name + ".chat.json").toFile());
      table.get("specials").fields().forEachRemaining(e ->
          assertEquals(e.getValue().asInt(), tok.specials().asMap().get(e.getKey()), name + " " + e.getKey()));
      for (JsonNode c : table.get("cases")) {
        tests.add(DynamicTest.dynamicTest(name + ": " + c.get("name").asText(), () -> {
          TokenSequence s = chat.conversation(ChatMessage.listFromJson(c.get("messages")));
          assertArrayEquals(ints(c.get("ids")), s.ids(), "ids");
          assertArrayEquals(booleans(c.get("text_loss")), s.textLoss(), "text loss");
          assertEquals(c.get("image_loss").asBoolean(), s.imageLoss(), "image loss");
        }));
      }
    }
    return tests.stream();
  }

  private static int[] ints(JsonNode a) {
    int[] out = new int[a.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = a.get(i).asInt();
    }
    return out;
  }

  private static boolean[] booleans(JsonNode a) {
    boolean[] out = new boolean[a.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = a.get(i).asBoolean();
    }
    return out;
  }
}
