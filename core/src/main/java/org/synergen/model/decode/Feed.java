package org.synergen.model.decode;

import java.util.List;

/**
 * The next {@code n} slots of every row of a {@link org.synergen.model.nn.KvCache}: {@link Prompt}
 * arrays for {@code batch} rows of {@code n} slots, row after row, and which slots are padding.
 */
public record Feed(int batch, int n, int foldSize, int[] tokens, boolean[] image, int[] imageIds, int[] imagePos,
    boolean[] pad) {

  /**
   * Prompts of different lengths, left-padded to the longest, so that every row's last slot is
   * its last real token (generation then continues all rows in step).
   */
  public static Feed leftPadded(List<Prompt> rows, int foldSize) {
    int n = 0;
    for (Prompt p : rows) {
      n = Math.max(n, p.length());
    }
    int b = rows.size();
    Feed f = new Feed(b, n, foldSize, new int[b * n], new boolean[b * n], new int[b * n * foldSize],
        new int[b * n * foldSize], new boolean[b * n]);
    for (int r = 0; r < b; r++) {
      Prompt p = rows.get(r);
      int padding = n - p.length();
      for (int t = 0; t < n; t++) {
        f.pad[r * n + t] = t < padding;
      }
      int at = r * n + padding;
      System.arraycopy(p.tokens(), 0, f.tokens, at, p.length());
      System.arraycopy(p.image(), 0, f.image, at, p.length());
      System.arraycopy(p.imageIds(), 0, f.imageIds, at * foldSize, p.length() * foldSize);
      System.arraycopy(p.imagePos(), 0, f.imagePos, at * foldSize, p.length() * foldSize);
    }
    return f;
  }

  /** One new text token per row. */
  public static Feed text(int[] tokenPerRow, int foldSize) {
    int b = tokenPerRow.length;
    return new Feed(b, 1, foldSize, tokenPerRow.clone(), new boolean[b], new int[b * foldSize], new int[b * foldSize],
        new boolean[b]);
  }

  /** One new folded image token per row: F ids and their positions per row, row after row. */
  public static Feed image(int batch, int foldSize, int[] ids, int[] pos) {
    boolean[] image = new boolean[batch];
    java.util.Arrays.fill(image, true);
    return new Feed(batch, 1, foldSize, new int[batch], image, ids.clone(), pos.clone(), new boolean[batch]);
  }

  public int rows() {
    return batch * n;
  }
}
