package org.synergen.text;

import com.typesafe.config.Config;
import java.util.LinkedHashMap;
import java.util.Map;
import org.synergen.config.ModelConfig;

/**
 * Ids of the special tokens in SynerGen-VL's sequences (docs/model.md "Parts", "Sequences"): the paper's
 * {@code <s>}, {@code </s>}, {@code <boi>}, {@code <eoi>}, {@code <UNCOND>}, plus InternLM2's chat
 * markers {@code <|im_start|>} and {@code <|im_end|>}.
 */
public record SpecialTokens(int bos, int eos, int boi, int eoi, int uncond, int imStart, int imEnd) {

  public static final String BOS = "<s>";
  public static final String EOS = "</s>";
  public static final String BOI = "<boi>";
  public static final String EOI = "<eoi>";
  public static final String UNCOND = "<UNCOND>";
  public static final String IM_START = "<|im_start|>";
  public static final String IM_END = "<|im_end|>";

  /**
   * The order in which missing tokens are appended to a HF vocabulary: image tokens first, so that
   * Qwen2 (which has the chat markers but no {@code <s>}) gets {@code <boi>}=151646,
   * {@code <eoi>}=151647, {@code <UNCOND>}=151648 as conf/model/qwen2-0.5b.conf expects.
   */
  static final String[] APPEND_ORDER = {BOI, EOI, UNCOND, BOS, EOS, IM_START, IM_END};

  /** The table as name -> id, in {@link #APPEND_ORDER}. */
  public Map<String, Integer> asMap() {
    Map<String, Integer> m = new LinkedHashMap<>();
    m.put(BOI, boi);
    m.put(EOI, eoi);
    m.put(UNCOND, uncond);
    m.put(BOS, bos);
    m.put(EOS, eos);
    m.put(IM_START, imStart);
    m.put(IM_END, imEnd);
    return m;
  }

  static SpecialTokens fromMap(Map<String, Integer> m) {
    return new SpecialTokens(m.get(BOS), m.get(EOS), m.get(BOI), m.get(EOI), m.get(UNCOND),
        m.get(IM_START), m.get(IM_END));
  }

  /**
   * Fixed ids from a {@code special-ids} config block, e.g. {@code special-ids { "<boi>" = 258 }};
   * tokens not named there are unconstrained. Unknown names are an error.
   */
  static Map<String, Integer> fixedIds(Config c) {
    Map<String, Integer> fixed = new LinkedHashMap<>();
    if (c == null) {
      return fixed;
    }
    for (String key : c.root().keySet()) {
      boolean known = false;
      for (String name : APPEND_ORDER) {
        known |= name.equals(key);
      }
      if (!known) {
        throw new IllegalArgumentException("text.special-ids: unknown token '" + key
            + "'; known: " + String.join(" ", APPEND_ORDER));
      }
      fixed.put(key, c.root().get(key).unwrapped() instanceof Number n ? n.intValue() : -1);
      if (fixed.get(key) < 0) {
        throw new IllegalArgumentException("text.special-ids: '" + key + "' must be a non-negative id");
      }
    }
    return fixed;
  }

  /**
   * Fails unless the model's image token ids and vocabulary agree with this tokenizer: a mismatch
   * would silently train the wrong embeddings.
   */
  public void checkAgainst(ModelConfig model, int tokenizerVocab) {
    ModelConfig.Vision v = model.vision();
    if (v.boiId() != boi || v.eoiId() != eoi || v.uncondId() != uncond) {
      throw new IllegalArgumentException(String.format(
          "model config has <boi>=%d <eoi>=%d <UNCOND>=%d but the tokenizer has %d %d %d;"
              + " set model.vision.boi-id/eoi-id/uncond-id or text.special-ids to agree",
          v.boiId(), v.eoiId(), v.uncondId(), boi, eoi, uncond));
    }
    if (tokenizerVocab > model.vocabSize()) {
      throw new IllegalArgumentException("tokenizer needs " + tokenizerVocab
          + " ids but model.vocab-size is " + model.vocabSize() + "; raise model.vocab-size");
    }
  }
}
