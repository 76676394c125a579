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
 * Encodes and decodes the strings of the parity tables written by the HF tokenizers library
 * (scripts/fixtures/make_tokenizer_fixtures.py) and expects the library's ids and texts exactly.
 */
class HfTokenizerParityTest {

  static Path resource(String name) {
    try {
      return Path.of(HfTokenizerParityTest.class.getResource("/text/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  @TestFactory
  Stream<DynamicTest> matchesHfTokenizers() throws Exception {
    List<DynamicTest> tests = new ArrayList<>();
    for (String name : List.of("qwen2", "llama", "metaspace")) {
      HfTokenizer tok = HfTokenizer.load(resource(name + ".tokenizer.json"));
      JsonNode table = new ObjectMapper().readTree(resource(name + ".parity.json").toFile());
      tests.add(DynamicTest.dynamicTest(name + " special ids and vocab size", () -> {
        table.get("specials").fields().forEachRemaining(e ->
            assertEquals(e.getValue().asInt(), tok.specials().asMap().get(e.getKey()), e.getKey()));
        assertEquals(table.get("vocab_size").asInt(), tok.vocabSize());
      }));
      for (JsonNode c : table.get("cases")) {
        String text = c.get("text").asText();
        int[] expected = ids(c.get("ids"));
        tests.add(DynamicTest.dynamicTest(name + " " + printable(text), () -> {
          assertArrayEquals(expected, tok.encode(text), "ids of " + printable(text));
          assertEquals(c.get("decoded").asText(), tok.decode(expected, false), "decoded");
          assertEquals(c.get("decoded_skip_special").asText(), tok.decode(expected, true), "decoded, skip special");
        }));
      }
      for (JsonNode c : table.get("decode_cases")) {
        int[] ids = ids(c.get("ids"));
        tests.add(DynamicTest.dynamicTest(name + " decode " + c.get("ids"),
            () -> assertEquals(c.get("decoded").asText(), tok.decode(ids, false))));
      }
    }
    return tests.stream();
  }

  private static int[] ids(JsonNode a) {
    int[] out = new int[a.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = a.get(i).asInt();
    }
    return out;
  }

  private static String printable(String s) {
    String t = s.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t");
    return t.length() > 40 ? t.substring(0, 40) + "..." : t;
  }
}
