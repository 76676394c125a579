package org.synergen.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ChatTemplateTest {
  private static final String U = "<|im_start|>user\n";
  private static final String A = "<|im_start|>assistant\n";

  private static List<TextTokenizer> tokenizers() {
    return List.of(new ByteTokenizer(),
        HfTokenizer.load(HfTokenizerParityTest.resource("qwen2.tokenizer.json")),
        HfTokenizer.load(HfTokenizerParityTest.resource("llama.tokenizer.json")),
        HfTokenizer.load(HfTokenizerParityTest.resource("metaspace.tokenizer.json")));
  }

  /**
   * The sequence without its placeholders equals the encoding of the rendered template string,
   * except that the answer is encoded on its own (so the prompt's ids do not depend on it).
   */
  @Test
  void sequencesEncodeLikeTheRenderedInternLm2Template() {
    for (TextTokenizer tok : tokenizers()) {
      ChatTemplate chat = new ChatTemplate(tok);
      TokenSequence und = chat.understanding(6, "What is this?", "A cat on a sofa.");
      int[] prompt = tok.encode("<s>" + U + "<boi><eoi>\nWhat is this?<|im_end|>\n" + A);
      int[] answer = tok.encode("A cat on a sofa.<|im_end|>\n</s>", false);
      int[] expected = IntStream.concat(Arrays.stream(prompt), Arrays.stream(answer)).toArray();
      assertArrayEquals(expected, withoutImage(und));
      TokenSequence gen = chat.generation("a red car", 4);
      assertArrayEquals(tok.encode("<s>" + U + "Generate an image of: a red car<|im_end|>\n" + A
          + "<boi><eoi><|im_end|>\n</s>"), withoutImage(gen));
      TokenSequence uncond = chat.generation(null, 4);
      assertArrayEquals(tok.encode("<s>" + U + "Here is a random image <UNCOND>:<|im_end|>\n" + A
          + "<boi><eoi><|im_end|>\n</s>"), withoutImage(uncond));
    }
  }

  /** The inference prompts are the training sequences' prefixes: what the model saw before its answer / image. */
  @Test
  void inferencePromptsArePrefixesOfTheTrainingSequences() {
    for (TextTokenizer tok : tokenizers()) {
      ChatTemplate chat = new ChatTemplate(tok);
      TokenSequence und = chat.understanding(6, "What is this?", "A cat.");
      int answerStart = IntStream.range(0, und.length()).filter(i -> und.textLoss()[i]).min().getAsInt();
      assertArrayEquals(Arrays.copyOf(und.ids(), answerStart),
          chat.understandingPrompt(List.of(6), "What is this?").ids());
      TokenSequence gen = chat.generation("a red car", 4);
      assertArrayEquals(Arrays.copyOf(gen.ids(), gen.imageStart()), chat.generationPrompt("a red car").ids());
      TokenSequence uncond = chat.generation(null, 4);
      assertArrayEquals(Arrays.copyOf(uncond.ids(), uncond.imageStart()), chat.generationPrompt(null).ids());
      assertArrayEquals(tok.encode("<s>" + U + "Hi?<|im_end|>\n" + A), chat.understandingPrompt(List.of(), "Hi?").ids());
      TokenSequence tagged = chat.understandingPrompt(List.of(2, 3), "Is <image> like <image>?");
      assertArrayEquals(tok.encode("<s>" + U + "Is <boi><eoi> like <boi><eoi>?<|im_end|>\n" + A), withoutImage(tagged));
      assertEquals(5, Arrays.stream(tagged.ids()).filter(id -> id == TokenSequence.IMAGE_PLACEHOLDER).count());
    }
  }

  @Test
  void understandingLossCoversTheAnswerAndItsEnd() {
    ByteTokenizer tok = new ByteTokenizer();
    TokenSequence s = new ChatTemplate(tok).understanding(3, "Describe.", "Red.");
    SpecialTokens sp = tok.specials();
    assertEquals(sp.boi(), s.ids()[s.imageStart() - 1]);
    assertEquals(sp.eoi(), s.ids()[s.imageStart() + 3]);
    assertEquals(3, s.imageTokens());
    assertFalse(s.imageLoss());
    int[] target = IntStream.range(0, s.length()).filter(i -> s.textLoss()[i]).map(i -> s.ids()[i]).toArray();
    assertEquals("Red.<|im_end|>", tok.decode(target, false));
    // the supervised span is contiguous and directly follows "assistant\n"
    int first = IntStream.range(0, s.length()).filter(i -> s.textLoss()[i]).min().getAsInt();
    assertEquals("assistant\n", tok.decode(Arrays.copyOfRange(s.ids(), first - 10, first), false));
  }

  @Test
  void generationHasNoTextLossAndPredictsTheImage() {
    ByteTokenizer tok = new ByteTokenizer();
    TokenSequence s = new ChatTemplate(tok).generation("a dog", 5);
    assertTrue(s.imageLoss());
    for (boolean b : s.textLoss()) {
      assertFalse(b);
    }
    for (int i = 0; i < 5; i++) {
      assertEquals(TokenSequence.IMAGE_PLACEHOLDER, s.ids()[s.imageStart() + i]);
    }
    assertEquals(tok.specials().boi(), s.ids()[s.imageStart() - 1]);
    assertEquals(tok.specials().eos(), s.ids()[s.length() - 1]);
  }

  private static int[] withoutImage(TokenSequence s) {
    return Arrays.stream(s.ids()).filter(id -> id != TokenSequence.IMAGE_PLACEHOLDER).toArray();
  }
}
