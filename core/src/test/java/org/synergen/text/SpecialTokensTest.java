package org.synergen.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.synergen.config.ModelConfig;

/** Registration of SynerGen-VL's special tokens in a HF tokenizer (fixture: llama, qwen2). */
class SpecialTokensTest {
  private static final Path LLAMA = HfTokenizerParityTest.resource("llama.tokenizer.json");
  private static final Path QWEN2 = HfTokenizerParityTest.resource("qwen2.tokenizer.json");

  @Test
  void pinnedIdsAreUsedAndConflictsAreRefused() {
    // llama fixture: vocab 0..855, <|im_start|>=856, <|im_end|>=857; ids 900+ are free
    HfTokenizer t = HfTokenizer.load(LLAMA, Map.of("<boi>", 900, "<eoi>", 901, "<UNCOND>", 902));
    assertEquals(new SpecialTokens(1, 2, 900, 901, 902, 856, 857), t.specials());
    assertEquals(903, t.vocabSize());
    assertEquals(902, t.encode("a<UNCOND>")[1]);
    assertEquals("a<UNCOND>", t.decode(t.encode("a<UNCOND>"), false));
    // id 5 is a byte-fallback token in the fixture; <s> already exists at 1
    IllegalArgumentException taken = assertThrows(IllegalArgumentException.class,
        () -> HfTokenizer.load(LLAMA, Map.of("<boi>", 5)));
    assertTrue(taken.getMessage().contains("<0x02>"), taken.getMessage());
    assertThrows(IllegalArgumentException.class, () -> HfTokenizer.load(LLAMA, Map.of("<s>", 7)));
  }

  @Test
  void modelConfigMismatchIsReported() {
    ModelConfig tiny = ModelConfig.fromConfig(
        ConfigFactory.parseFile(new File("../conf/model/tiny.conf")).resolve().getConfig("model"));
    HfTokenizer qwen = HfTokenizer.load(QWEN2);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> qwen.specials().checkAgainst(tiny, qwen.vocabSize()));
    assertTrue(e.getMessage().contains("<boi>=258"), e.getMessage());
  }

  @Test
  void identityIgnoresFormattingButNotContent(@TempDir Path dir) throws Exception {
    String json = Files.readString(QWEN2);
    Path pretty = dir.resolve("pretty.json");
    Object tree = new com.fasterxml.jackson.databind.ObjectMapper().readValue(json, Object.class);
    Files.writeString(pretty, new com.fasterxml.jackson.databind.ObjectMapper()
        .writerWithDefaultPrettyPrinter().writeValueAsString(tree));
    assertEquals(HfTokenizer.load(QWEN2).identity(), HfTokenizer.load(pretty).identity());
    Path changed = dir.resolve("changed.json");
    Files.writeString(changed, json.replace("\"NFC\"", "\"NFKC\""));
    assertNotEquals(HfTokenizer.load(QWEN2).identity(), HfTokenizer.load(changed).identity());
    assertNotEquals(HfTokenizer.load(QWEN2).identity(),
        HfTokenizer.load(QWEN2, Map.of("<boi>", 999)).identity());
  }

  @Test
  void unknownConfiguredTokenIsAnError() {
    assertThrows(IllegalArgumentException.class, () -> TextTokenizers.fromConfig(
        ConfigFactory.parseString("special-ids { \"<img>\" = 300 }").atKey("text").getConfig("text")));
  }
}
