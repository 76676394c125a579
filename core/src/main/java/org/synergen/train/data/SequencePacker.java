package org.synergen.train.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.synergen.model.Batch;

/**
 * Packs samples into rows of a fixed length without attention across samples: each sample gets its
 * own segment id in the row ({@link Batch}'s segment mechanism restarts attention and RoPE
 * positions there), the rest of a row is padding with a segment of its own and no loss.
 *
 * <p>Greedy in the given order: a sample goes into the current row if it fits, else the row is
 * closed and a new one begins. Samples longer than a row are not truncated (that would cut image
 * blocks and answers in half): {@link #rows} leaves them out and the caller counts them.
 */
public final class SequencePacker {
  /** Token id at padding positions: any valid id does, padding has no loss and its own segment. */
  public static final int PAD_ID = 0;

  private SequencePacker() {}

  /** Sample indices of each row, in order; samples longer than {@code seqLen} appear in none. */
  public static List<int[]> rows(int[] lengths, int seqLen) {
    List<int[]> rows = new ArrayList<>();
    List<Integer> current = new ArrayList<>();
    int used = 0;
    for (int i = 0; i < lengths.length; i++) {
      if (lengths[i] > seqLen) {
        continue;
      }
      if (used + lengths[i] > seqLen) {
        rows.add(current.stream().mapToInt(Integer::intValue).toArray());
        current.clear();
        used = 0;
      }
      current.add(i);
      used += lengths[i];
    }
    if (!current.isEmpty()) {
      rows.add(current.stream().mapToInt(Integer::intValue).toArray());
    }
    return rows;
  }

  /**
   * One batch: row r holds {@code rows.get(r)}'s samples back to back, then padding. The samples
   * were laid out by {@link SampleLayout#of} for the same model, so they fold {@code foldSize} ids.
   */
  public static Batch batch(List<List<SampleLayout>> rows, int seqLen, int foldSize) {
    int b = rows.size();
    int f = foldSize;
    Batch batch = Batch.blank(b, seqLen, f);
    Arrays.fill(batch.tokens(), PAD_ID);
    for (int r = 0; r < b; r++) {
      int at = r * seqLen;
      int seg = 0;
      for (SampleLayout s : rows.get(r)) {
        if (at + s.length() > (r + 1) * seqLen) {
          throw new IllegalArgumentException("row " + r + " overflows " + seqLen + " positions at sample '" + s.key() + "'");
        }
        System.arraycopy(s.tokens(), 0, batch.tokens(), at, s.length());
        System.arraycopy(s.image(), 0, batch.image(), at, s.length());
        Arrays.fill(batch.segment(), at, at + s.length(), seg++);
        System.arraycopy(s.imageIds(), 0, batch.imageIds(), at * f, s.length() * f);
        System.arraycopy(s.imagePos(), 0, batch.imagePos(), at * f, s.length() * f);
        System.arraycopy(s.textTarget(), 0, batch.textTarget(), at, s.length());
        System.arraycopy(s.textLoss(), 0, batch.textLoss(), at, s.length());
        System.arraycopy(s.imageTarget(), 0, batch.imageTarget(), at * f, s.length() * f);
        System.arraycopy(s.imageLoss(), 0, batch.imageLoss(), at, s.length());
        at += s.length();
      }
      Arrays.fill(batch.segment(), at, (r + 1) * seqLen, seg);
    }
    return batch;
  }
}
