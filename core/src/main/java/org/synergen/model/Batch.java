package org.synergen.model;

import java.util.Arrays;
import org.synergen.model.nn.Routing;

/**
 * One training batch for {@link SynerGenModel#forwardBackward}: {@code B} rows of {@code T}
 * positions, flattened row-major (index {@code i = b * T + t}). {@code F = m * n} is the folding
 * block size. Every array is indexed by position; the per-image-id arrays hold F entries per
 * position ({@code i * F + s}) and are read only where the matching flag is set.
 *
 * <ul>
 *   <li>{@code tokens[B*T]}: text token id; read only where {@code image[i]} is false.
 *   <li>{@code image[B*T]}: true = a folded image token. Its LLM input is the folding MLP of
 *       {@code imageIds} / {@code imagePos}, and it goes through the vision expert FFN.
 *       {@code <boi>} / {@code <eoi>} are text tokens.
 *   <li>{@code segment[B*T]}: sample id. A sample is a maximal run of equal segment ids within a
 *       row; positions attend only inside their sample and RoPE positions restart at 0 where it
 *       starts. Padding: give it its own segment id and no loss.
 *   <li>{@code imageIds[B*T*F]}, {@code imagePos[B*T*F]}: at image positions, the block's codebook
 *       ids and their 2-D position indices, as {@link org.synergen.model.vision.Folding#fold}
 *       produces them.
 *   <li>{@code textTarget[B*T]}, {@code textLoss[B*T]}: the next text token to predict from
 *       position i (already shifted by the batch builder), counted where {@code textLoss[i]}.
 *   <li>{@code imageTarget[B*T*F]}, {@code imageLoss[B*T]}: the m*n ids of the block that position
 *       i's hidden state predicts through the unfolding head (the block at position i+1: the
 *       {@code <boi>} position predicts the first block), counted where {@code imageLoss[i]}.
 * </ul>
 * Losses are means: over counted text targets, and over counted image ids (F per position).
 */
public record Batch(
    int batchSize,
    int seqLen,
    int foldSize,
    int[] tokens,
    boolean[] image,
    int[] segment,
    int[] imageIds,
    int[] imagePos,
    int[] textTarget,
    boolean[] textLoss,
    int[] imageTarget,
    boolean[] imageLoss) {

  public Batch {
    int n = batchSize * seqLen;
    check("tokens", tokens.length, n);
    check("image", image.length, n);
    check("segment", segment.length, n);
    check("imageIds", imageIds.length, n * foldSize);
    check("imagePos", imagePos.length, n * foldSize);
    check("textTarget", textTarget.length, n);
    check("textLoss", textLoss.length, n);
    check("imageTarget", imageTarget.length, n * foldSize);
    check("imageLoss", imageLoss.length, n);
  }

  private static void check(String field, int got, int want) {
    if (got != want) {
      throw new IllegalArgumentException("Batch." + field + " has length " + got + ", expected " + want);
    }
  }

  /** B rows of T positions with every array zero / false, for a batch builder to fill in. */
  public static Batch blank(int batchSize, int seqLen, int foldSize) {
    int n = batchSize * seqLen;
    int nf = n * foldSize;
    return new Batch(batchSize, seqLen, foldSize, new int[n], new boolean[n], new int[n], new int[nf], new int[nf],
        new int[n], new boolean[n], new int[nf], new boolean[n]);
  }

  /** B text-only rows of T tokens each, one sample per row, loss on every next token. */
  public static Batch textOnly(int batchSize, int seqLen, int foldSize, int[] tokens) {
    int n = batchSize * seqLen;
    int[] segment = new int[n];
    int[] target = new int[n];
    boolean[] loss = new boolean[n];
    for (int b = 0; b < batchSize; b++) {
      for (int t = 0; t + 1 < seqLen; t++) {
        target[b * seqLen + t] = tokens[b * seqLen + t + 1];
        loss[b * seqLen + t] = true;
      }
    }
    int[] none = new int[n * foldSize];
    return new Batch(batchSize, seqLen, foldSize, tokens, new boolean[n], segment, none, none.clone(),
        target, loss, none.clone(), new boolean[n]);
  }

  /**
   * The batch as the model reads it (Figure 3): the rows routed by modality with each modality's
   * inputs, and the rows each head predicts from with their targets.
   *
   * @param tokens        the text token of each text row
   * @param imageIds      the m*n ids of each image row (its folded block), row after row
   * @param imagePos      their 2-D position indices
   * @param textLossRows  rows whose next text token is predicted (LM head), {@code textTargets} in order
   * @param imageLossRows rows whose next block's ids are predicted (unfolding head), m*n
   *                      {@code imageTargets} each
   */
  record Routed(Routing routing, int[] tokens, int[] imageIds, int[] imagePos,
      int[] textLossRows, int[] textTargets, int[] imageLossRows, int[] imageTargets) {}

  Routed routed() {
    Routing routing = Routing.of(image);
    int[] textLossRows = indices(textLoss);
    int[] imageLossRows = indices(imageLoss);
    return new Routed(routing, at(tokens, routing.textRows()), slots(imageIds, routing.visionRows()),
        slots(imagePos, routing.visionRows()), textLossRows, at(textTarget, textLossRows), imageLossRows,
        slots(imageTarget, imageLossRows));
  }

  int rows() {
    return batchSize * seqLen;
  }

  private static int count(boolean[] flags) {
    int c = 0;
    for (boolean f : flags) {
      c += f ? 1 : 0;
    }
    return c;
  }

  private static int[] indices(boolean[] flags) {
    int[] idx = new int[count(flags)];
    int k = 0;
    for (int i = 0; i < flags.length; i++) {
      if (flags[i]) {
        idx[k++] = i;
      }
    }
    return idx;
  }

  private static int[] at(int[] perPosition, int[] positions) {
    int[] out = new int[positions.length];
    for (int k = 0; k < positions.length; k++) {
      out[k] = perPosition[positions[k]];
    }
    return out;
  }

  /** The F-wide slices of {@code perPosition} at the given positions, concatenated. */
  private int[] slots(int[] perPosition, int[] positions) {
    int[] out = new int[positions.length * foldSize];
    for (int k = 0; k < positions.length; k++) {
      System.arraycopy(perPosition, positions[k] * foldSize, out, k * foldSize, foldSize);
    }
    return out;
  }

  @Override
  public String toString() {
    return "Batch[" + batchSize + "x" + seqLen + ", image tokens " + count(image) + ", text targets "
        + count(textLoss) + ", image targets " + count(imageLoss) + "]";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Batch b && batchSize == b.batchSize && seqLen == b.seqLen && foldSize == b.foldSize
        && Arrays.equals(tokens, b.tokens) && Arrays.equals(image, b.image) && Arrays.equals(segment, b.segment)
        && Arrays.equals(imageIds, b.imageIds) && Arrays.equals(imagePos, b.imagePos)
        && Arrays.equals(textTarget, b.textTarget) && Arrays.equals(textLoss, b.textLoss)
        && Arrays.equals(imageTarget, b.imageTarget) && Arrays.equals(imageLoss, b.imageLoss);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(tokens) * 31 + Arrays.hashCode(segment);
  }
}
