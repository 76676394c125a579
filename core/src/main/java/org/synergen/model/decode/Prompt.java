package org.synergen.model.decode;

/**
 * One row's positions to feed the model, in {@link org.synergen.model.Batch}'s per-position
 * conventions: a text token id where {@code image[i]} is false, else a folded image token made
 * from the F = m*n codebook ids {@code imageIds[i*F .. i*F+F)} at their 2-D position indices
 * {@code imagePos} (as {@link org.synergen.model.vision.Folding#fold} lists them).
 */
public record Prompt(int[] tokens, boolean[] image, int[] imageIds, int[] imagePos) {

  public Prompt {
    if (image.length != tokens.length || imageIds.length != imagePos.length
        || (tokens.length > 0 && imageIds.length % tokens.length != 0)) {
      throw new IllegalArgumentException("prompt arrays disagree: " + tokens.length + " tokens, " + image.length
          + " image flags, " + imageIds.length + " image ids, " + imagePos.length + " positions");
    }
  }

  /** Text tokens only. */
  public static Prompt text(int[] tokens, int foldSize) {
    int[] none = new int[tokens.length * foldSize];
    return new Prompt(tokens, new boolean[tokens.length], none, none.clone());
  }

  /** One folded image token from its F ids and positions. */
  public static Prompt imageToken(int[] ids, int[] pos) {
    return new Prompt(new int[1], new boolean[] {true}, ids, pos);
  }

  public int length() {
    return tokens.length;
  }
}
