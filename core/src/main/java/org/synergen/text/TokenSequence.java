package org.synergen.text;

/**
 * One training sequence of docs/model.md "Sequences": text token ids with a span of placeholders where
 * the folded image tokens go.
 *
 * @param ids        token ids; positions {@code [imageStart, imageStart + imageTokens)} hold
 *                   {@link #IMAGE_PLACEHOLDER} (the model puts folded image embeddings there); an
 *                   inference prompt with several images has several such spans
 * @param textLoss   per position: true when {@code ids[i]} is a text-CE target (predicted from the
 *                   output at {@code i - 1}); never true on placeholders
 * @param imageStart first placeholder position
 * @param imageTokens number of placeholders (folded tokens of all tiles, thumbnail included)
 * @param imageLoss  true when the image ids are targets of the unfolding head (generation)
 */
public record TokenSequence(int[] ids, boolean[] textLoss, int imageStart, int imageTokens, boolean imageLoss) {

  /** Stands in for one folded image token; never a real token id. */
  public static final int IMAGE_PLACEHOLDER = -1;

  public TokenSequence {
    if (ids.length != textLoss.length) {
      throw new IllegalArgumentException("ids and loss mask differ in length");
    }
  }

  public int length() {
    return ids.length;
  }
}
