package org.synergen.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.File;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.synergen.config.ModelConfig;

class ByteTokenizerTest {
  private final ByteTokenizer tok = new ByteTokenizer();

  @Test
  void idsAreUtf8BytesAndSpecialsHaveFixedIds() {
    // "é" is C3 A9 in UTF-8, "😀" is F0 9F 98 80
    assertArrayEquals(new int[] {'a', 0xC3, 0xA9, 0xF0, 0x9F, 0x98, 0x80}, tok.encode("aé😀"));
    assertArrayEquals(new int[] {256, 'h', 'i', 257, 258, 259, 260, 261, 262},
        tok.encode("<s>hi</s><boi><eoi><UNCOND><|im_start|><|im_end|>"));
    assertArrayEquals(new int[] {'<', 's', 256}, tok.encode("<s<s>"));
    assertEquals(263, tok.vocabSize());
  }

  @Test
  void decodeInvertsEncodeAndCanSkipSpecials() {
    String text = "<s>Hello, 世界 👋\n\t<boi><eoi></s>";
    assertEquals(text, tok.decode(tok.encode(text), false));
    assertEquals("Hello, 世界 👋\n\t", tok.decode(tok.encode(text), true));
    assertEquals("\uFFFD", tok.decode(new int[] {0xE4, 0xB8}, false)); // cut 3-byte character
    assertThrows(IllegalArgumentException.class, () -> tok.decode(new int[] {263}, false));
  }

  @Test
  void agreesWithTinyModelConfig() {
    Config tiny = ConfigFactory.parseFile(new File("../conf/model/tiny.conf")).resolve();
    TextTokenizer fromConf = TextTokenizers.fromConfig(tiny.getConfig("text"));
    assertEquals(ByteTokenizer.DEFAULT_SPECIALS, fromConf.specials());
    fromConf.specials().checkAgainst(ModelConfig.fromConfig(tiny.getConfig("model")), fromConf.vocabSize());
    assertEquals(new ByteTokenizer().identity(), fromConf.identity());
  }

  @Test
  void identityChangesWithTheSpecialTable() {
    assertNotEquals(tok.identity(), new ByteTokenizer(Map.of("<UNCOND>", 263)).identity());
    assertEquals(64, tok.identity().length());
  }

  @Test
  void rejectsSpecialIdsInTheByteRangeOrDuplicated() {
    assertThrows(IllegalArgumentException.class, () -> new ByteTokenizer(Map.of("<boi>", 65)));
    assertThrows(IllegalArgumentException.class, () -> new ByteTokenizer(Map.of("<boi>", 256)));
  }
}
