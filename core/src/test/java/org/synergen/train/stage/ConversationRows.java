package org.synergen.train.stage;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.synergen.config.ModelConfig;
import org.synergen.data.TokenShardRow;
import org.synergen.text.ByteTokenizer;
import org.synergen.text.SpecialTokens;

/**
 * SFT token-shard rows written by hand for the byte-level tiny model, laid out as the SFT contract
 * between tokenize conversations and sft says (README "sft"): the chat template
 * {@code <|im_start|>role\n...<|im_end|>\n}, each image as {@code <boi>} placeholders {@code <eoi>},
 * and text_loss 1 exactly on the assistant's answers and each answer's closing {@code <|im_end|>};
 * 0 on system and user turns, on the {@code <|im_start|>assistant\n} prefix and on the newline
 * after {@code <|im_end|>}.
 */
public final class ConversationRows {
  private static final SpecialTokens SP = ByteTokenizer.DEFAULT_SPECIALS;

  private ConversationRows() {}

  /** Ids and loss flags of a row under construction. */
  private static final class Row {
    final List<Integer> ids = new ArrayList<>();
    final List<Boolean> loss = new ArrayList<>();

    Row add(boolean counted, int... tokens) {
      for (int t : tokens) {
        ids.add(t);
        loss.add(counted);
      }
      return this;
    }

    Row text(boolean counted, String s) {
      for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
        add(counted, b & 0xFF);
      }
      return this;
    }

    Row turn(String role, String content) {
      return add(false, SP.imStart()).text(false, role + "\n" + content).add(false, SP.imEnd()).text(false, "\n");
    }

    Row answer(String content) {
      add(false, SP.imStart()).text(false, "assistant\n");
      return text(true, content).add(true, SP.imEnd()).text(false, "\n");
    }

    Row image(int blocks) {
      add(false, SP.boi());
      for (int i = 0; i < blocks; i++) {
        add(false, TokenShardRow.IMAGE_PLACEHOLDER);
      }
      return add(false, SP.eoi());
    }

    int[] idArray() {
      return ids.stream().mapToInt(Integer::intValue).toArray();
    }

    boolean[] lossArray() {
      boolean[] out = new boolean[loss.size()];
      for (int i = 0; i < out.length; i++) {
        out[i] = loss.get(i);
      }
      return out;
    }
  }

  /**
   * A two-turn conversation about one image of {@code rows x cols} VQ ids drawn from {@code seed}:
   * a system prompt, a question, its answer, a follow-up and its answer ({@code und}).
   */
  public static TokenShardRow understanding(ModelConfig cfg, String key, String answer, int rows, int cols, long seed) {
    ModelConfig.Vision v = cfg.vision();
    int blocks = rows * cols / v.foldSize();
    Row r = new Row().add(false, SP.bos()).turn("system", "You answer in one word.");
    r.add(false, SP.imStart()).text(false, "user\n").image(blocks).text(false, "\nWhat colour is this?")
        .add(false, SP.imEnd()).text(false, "\n");
    r.answer(answer).turn("user", "Say it again.").answer(answer).add(false, SP.eos());
    return new TokenShardRow(key, TokenShardRow.UNDERSTANDING, TokenShardRow.SUCCESS, null, r.idArray(), r.lossArray(),
        false, List.of(tile(cfg, rows, cols, seed)), v.foldRows(), v.foldCols(), "byte-level", "test-vq");
  }

  /**
   * A generation instruction whose answer is an image ({@code gen}): the image loss falls on it, and
   * the text loss on the answer's {@code <boi>}, {@code <eoi>} and closing {@code <|im_end|>}.
   */
  public static TokenShardRow generation(ModelConfig cfg, String key, String subject, int rows, int cols, long seed) {
    ModelConfig.Vision v = cfg.vision();
    int blocks = rows * cols / v.foldSize();
    Row r = new Row().add(false, SP.bos()).turn("user", "Draw " + subject + ".");
    r.add(false, SP.imStart()).text(false, "assistant\n").add(true, SP.boi());
    for (int i = 0; i < blocks; i++) {
      r.add(false, TokenShardRow.IMAGE_PLACEHOLDER);
    }
    r.add(true, SP.eoi()).add(true, SP.imEnd()).text(false, "\n").add(false, SP.eos());
    return new TokenShardRow(key, TokenShardRow.GENERATION, TokenShardRow.SUCCESS, null, r.idArray(), r.lossArray(),
        true, List.of(tile(cfg, rows, cols, seed)), v.foldRows(), v.foldCols(), "byte-level", "test-vq");
  }

  /** {@code perTask} understanding and {@code perTask} generation rows, answers from a few colour words. */
  public static List<TokenShardRow> mixed(ModelConfig cfg, int perTask, long seed) {
    String[] colours = {"red", "green", "blue", "yellow"};
    List<TokenShardRow> out = new ArrayList<>();
    for (int i = 0; i < perTask; i++) {
      String c = colours[i % colours.length];
      out.add(understanding(cfg, "und-" + i, c, 4, 8, seed + 2L * i));
      out.add(generation(cfg, "gen-" + i, c, 4, 8, seed + 2L * i + 1));
    }
    return out;
  }

  private static TokenShardRow.Tile tile(ModelConfig cfg, int rows, int cols, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    int[] ids = new int[rows * cols];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = rng.nextInt(cfg.vision().codebookSize());
    }
    return new TokenShardRow.Tile(rows, cols, ids);
  }
}
