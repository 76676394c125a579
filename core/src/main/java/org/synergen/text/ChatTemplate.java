package org.synergen.text;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds SynerGen-VL's understanding and generation sequences (docs/model.md "Sequences") in
 * InternLM2-chat's format. InternLM2-chat's tokenizer_config.json template is
 * {@code {{bos}}} then, per message, {@code <|im_start|>{role}\n{content}<|im_end|>\n}, and
 * {@code <|im_start|>assistant\n} as the generation prompt. What is built here, with IMG standing
 * for the folded image tokens:
 *
 * <pre>
 * understanding: &lt;s&gt;&lt;|im_start|&gt;user\n&lt;boi&gt;IMG&lt;eoi&gt;\n{prompt}&lt;|im_end|&gt;\n&lt;|im_start|&gt;assistant\n{answer}&lt;|im_end|&gt;\n&lt;/s&gt;
 *   text loss on {answer} and its closing &lt;|im_end|&gt; (so the model learns where the answer stops)
 * generation:    &lt;s&gt;&lt;|im_start|&gt;user\nGenerate an image of: {caption}&lt;|im_end|&gt;\n&lt;|im_start|&gt;assistant\n&lt;boi&gt;IMG&lt;eoi&gt;&lt;|im_end|&gt;\n&lt;/s&gt;
 *   no text loss; the image ids are the targets (unfolding head)
 * unconditional generation: the user content is "Here is a random image &lt;UNCOND&gt;:"
 * </pre>
 *
 * Text between special tokens is encoded piece by piece (as continuation, see
 * {@link TextTokenizer#encode(String, boolean)}), which gives the same ids as encoding the rendered
 * string, because the tokenizer cuts special tokens out before anything else. The one exception
 * is deliberate: the answer is encoded apart from the "assistant\n" before it, so the prompt has
 * the same ids at training and at inference (with SentencePiece-style tokenizers the answer then
 * starts with its own "▁", and no BPE merge crosses the prompt/answer boundary).
 */
public final class ChatTemplate {
  public static final String CAPTION_PROMPT = "Provide a one-sentence caption for the image";
  public static final String GENERATION_PREFIX = "Generate an image of: ";
  /** The unconditional prompt is "Here is a random image &lt;UNCOND&gt;:". */
  public static final String UNCOND_BEFORE = "Here is a random image ";
  public static final String UNCOND_AFTER = ":";
  /** Where a question puts an image (VLMEvalKit's and LLaVA's convention). */
  public static final String IMAGE_TAG = "<image>";

  private final TextTokenizer tokenizer;
  private final SpecialTokens sp;

  public ChatTemplate(TextTokenizer tokenizer) {
    this.tokenizer = tokenizer;
    this.sp = tokenizer.specials();
  }

  /** Image (folded into {@code imageTokens} tokens) + prompt -> answer; loss on the answer. */
  public TokenSequence understanding(int imageTokens, String prompt, String answer) {
    Builder b = userTurn(List.of(imageTokens), prompt);
    b.loss(true).text(answer).special(sp.imEnd()).loss(false);
    b.text("\n").special(sp.eos());
    return b.build(false);
  }

  /**
   * The prompt a model answers at inference: {@link #understanding}'s sequence up to and
   * including "assistant\n". Each image ({@code imageTokens} folded tokens each) goes where the
   * question has an {@value #IMAGE_TAG} tag, or, with no tags, all of them before it as in training
   * ({@code <boi>IMG<eoi>\n{question}}); no images gives a text-only turn.
   */
  public TokenSequence understandingPrompt(List<Integer> imageTokens, String question) {
    return userTurn(imageTokens, question).build(false);
  }

  /** {@link #generation}'s sequence up to and including {@code <boi>}: where image sampling starts. */
  public TokenSequence generationPrompt(String caption) {
    return generationTurn(caption).build(true);
  }

  private Builder userTurn(List<Integer> imageTokens, String question) {
    Builder b = new Builder();
    b.special(sp.bos()).special(sp.imStart());
    content(b, "user\n", question, imageTokens);
    b.special(sp.imEnd()).text("\n").special(sp.imStart()).text("assistant\n");
    return b;
  }

  /**
   * An instruction-tuning conversation in InternLM2-chat's template: {@code <s>}, then per turn
   * {@code <|im_start|>{role}\n{content}<|im_end|>\n}, images as {@code <boi>IMG<eoi>} at their
   * tags (a turn with images but no tags has them first, then "\n", as InternVL prepends
   * "&lt;image&gt;\n"). Text loss as InternVL's {@code preprocess_internvl2_5} masks it: on each
   * assistant answer and its closing {@code <|im_end|>}; not on system and user turns, not on the
   * tokens {@code <|im_start|>assistant\n} has on its own, not on the turn's last token (the newline
   * after {@code <|im_end|>}; InternVL's positional rule, kept exactly: a SentencePiece-style
   * tokenizer that spells that newline "▁" "\n" leaves the "▁" supervised). An image answer's {@code <boi>}, {@code <eoi>} and {@code <|im_end|>} are text
   * targets, its folded tokens the unfolding head's ({@link TokenSequence#imageLoss}). Unlike
   * {@link #understanding}, "assistant\n" and the answer are one piece, as transformers'
   * {@code apply_chat_template} and InternVL encode them (with SentencePiece-style tokenizers the
   * answer then has no "▁" of its own).
   */
  public TokenSequence conversation(List<ChatMessage> messages) {
    Builder b = new Builder();
    b.special(sp.bos());
    boolean imageLoss = false;
    int assistantPrefix = tokenizer.encode(ChatMessage.ASSISTANT + "\n", false).length;
    for (ChatMessage m : messages) {
      int start = b.ids.size();
      boolean answer = m.role().equals(ChatMessage.ASSISTANT);
      b.special(sp.imStart()).loss(answer);
      content(b, m.role() + "\n", m.content(), m.imageTokens());
      b.special(sp.imEnd()).text("\n").loss(false);
      if (answer) {
        b.noLoss(start, start + 1 + assistantPrefix).noLoss(b.ids.size() - 1, b.ids.size());
      }
      imageLoss |= m.imageAnswer();
    }
    return b.build(imageLoss);
  }

  /** {@code head} then {@code text} with its images; text between two special tokens is one piece. */
  private void content(Builder b, String head, String text, List<Integer> imageTokens) {
    String[] parts = text.split(java.util.regex.Pattern.quote(IMAGE_TAG), -1);
    if (parts.length == 1 && imageTokens.isEmpty()) {
      b.text(head + text);
    } else if (parts.length == 1) {
      b.text(head);
      for (int n : imageTokens) {
        b.special(sp.boi()).image(n).special(sp.eoi());
      }
      b.text("\n" + text);
    } else if (parts.length - 1 == imageTokens.size()) {
      b.text(head + parts[0]);
      for (int i = 0; i < imageTokens.size(); i++) {
        b.special(sp.boi()).image(imageTokens.get(i)).special(sp.eoi()).text(parts[i + 1]);
      }
    } else {
      throw new IllegalArgumentException("the text has " + (parts.length - 1) + " " + IMAGE_TAG + " tags but "
          + imageTokens.size() + " images were given");
    }
  }

  /** Caption -> image; {@code caption == null} builds the unconditional prompt. Loss on image ids. */
  public TokenSequence generation(String caption, int imageTokens) {
    Builder b = generationTurn(caption);
    b.image(imageTokens).special(sp.eoi());
    b.special(sp.imEnd()).text("\n").special(sp.eos());
    return b.build(true);
  }

  private Builder generationTurn(String caption) {
    Builder b = new Builder();
    b.special(sp.bos()).special(sp.imStart());
    if (caption == null) {
      b.text("user\n" + UNCOND_BEFORE).special(sp.uncond()).text(UNCOND_AFTER);
    } else {
      b.text("user\n" + GENERATION_PREFIX + caption);
    }
    b.special(sp.imEnd()).text("\n").special(sp.imStart()).text("assistant\n");
    return b.special(sp.boi());
  }

  private final class Builder {
    private final List<Integer> ids = new ArrayList<>();
    private final List<Boolean> mask = new ArrayList<>();
    private boolean loss;
    private int imageStart = -1;
    private int imageTokens;

    Builder loss(boolean on) {
      loss = on;
      return this;
    }

    /** Clears the text loss of positions {@code [from, to)}. */
    Builder noLoss(int from, int to) {
      for (int i = from; i < to; i++) {
        mask.set(i, false);
      }
      return this;
    }

    Builder special(int id) {
      ids.add(id);
      mask.add(loss);
      return this;
    }

    Builder text(String s) {
      for (int id : tokenizer.encode(s, ids.isEmpty())) {
        special(id);
      }
      return this;
    }

    Builder image(int n) {
      if (n <= 0) {
        throw new IllegalArgumentException("an image needs at least one folded token, got " + n);
      }
      if (imageStart < 0) {
        imageStart = ids.size();
      }
      imageTokens += n;
      for (int i = 0; i < n; i++) {
        ids.add(TokenSequence.IMAGE_PLACEHOLDER);
        mask.add(false);
      }
      return this;
    }

    TokenSequence build(boolean imageLoss) {
      int[] idArray = ids.stream().mapToInt(Integer::intValue).toArray();
      boolean[] maskArray = new boolean[mask.size()];
      for (int i = 0; i < maskArray.length; i++) {
        maskArray[i] = mask.get(i);
      }
      return new TokenSequence(idArray, maskArray, imageStart, imageTokens, imageLoss);
    }
  }
}
