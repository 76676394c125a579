package org.synergen.text;

import java.util.OptionalInt;

/**
 * Text <-> token ids. Two implementations: {@link ByteTokenizer} (the built-in default) and
 * {@link HfTokenizer} (a HF tokenizer.json). Both are thread-safe after construction.
 */
public interface TextTokenizer {

  /**
   * The ids of {@code text}. Special/added tokens written inside the text (e.g. "<|im_end|>") are
   * recognised, as HF does by default. No BOS/EOS or other post-processing is added: sequences are
   * assembled by {@link ChatTemplate}.
   */
  default int[] encode(String text) {
    return encode(text, true);
  }

  /**
   * Like {@link #encode(String)}; {@code startOfInput = false} encodes {@code text} as it is
   * encoded when it follows other input (SentencePiece's "first" prefix scheme adds "▁" only at the
   * start of the input). Used to build a sequence piece by piece with the ids of the whole.
   */
  int[] encode(String text, boolean startOfInput);

  /** The text of {@code ids}; special tokens are left out when {@code skipSpecialTokens}. */
  String decode(int[] ids, boolean skipSpecialTokens);

  /** One more than the largest id this tokenizer can produce. */
  int vocabSize();

  /** The id of a whole token (vocabulary entry or added token), if there is one. */
  OptionalInt tokenId(String token);

  /** The ids of the special tokens SynerGen-VL's sequences use. */
  SpecialTokens specials();

  /**
   * sha256 (hex) identifying this tokenizer: same identity, same ids for every text. Written into
   * token shards so that a trainer refuses shards made with another tokenizer.
   */
  String identity();
}
