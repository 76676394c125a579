package org.synergen.model.decode;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.IntConsumer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.synergen.model.nn.KvCache;

/**
 * Text answers: the prompts (left-padded into one batch) are prefilled in one call, then every
 * row gets one new token per call from its own {@link Sampler} until it emits a stop id or has
 * {@code maxNewTokens}. A finished row keeps being fed its stop id (its output is already cut).
 */
public final class TextGenerator {
  private final IncrementalDecoder decoder;

  public TextGenerator(IncrementalDecoder decoder) {
    this.decoder = decoder;
  }

  /**
   * @param samplers one per prompt
   * @param stopIds  ids that end a row (kept in its output); empty = always {@code maxNewTokens}
   * @param progress called with the number of tokens generated per row so far, after each step
   * @return the new ids of each row
   */
  public List<int[]> generate(List<Prompt> prompts, int maxNewTokens, List<Sampler> samplers, Set<Integer> stopIds,
      IntConsumer progress) {
    int b = prompts.size();
    if (samplers.size() != b) {
      throw new IllegalArgumentException(b + " prompts but " + samplers.size() + " samplers");
    }
    int f = decoder.config().vision().foldSize();
    Feed prefill = Feed.leftPadded(prompts, f);
    KvCache cache = decoder.newCache(b, prefill.n() + maxNewTokens);
    INDArray h = decoder.forward(cache, prefill);
    INDArray last = lastSlots(h, b, prefill.n());
    List<List<Integer>> out = new ArrayList<>();
    boolean[] done = new boolean[b];
    for (int r = 0; r < b; r++) {
      out.add(new ArrayList<>());
    }
    for (int step = 0; step < maxNewTokens; step++) {
      INDArray logits = decoder.textLogits(last).castTo(DataType.DOUBLE);
      int[] next = new int[b];
      boolean all = true;
      for (int r = 0; r < b; r++) {
        List<Integer> row = out.get(r);
        if (done[r]) {
          next[r] = row.get(row.size() - 1);
          continue;
        }
        next[r] = samplers.get(r).next(logits.getRow(r).toDoubleVector());
        row.add(next[r]);
        done[r] = stopIds.contains(next[r]) || row.size() == maxNewTokens;
        all &= done[r];
      }
      if (progress != null) {
        progress.accept(step + 1);
      }
      if (all) {
        break;
      }
      last = decoder.forward(cache, Feed.text(next, f));
    }
    List<int[]> ids = new ArrayList<>();
    for (List<Integer> row : out) {
      ids.add(row.stream().mapToInt(Integer::intValue).toArray());
    }
    return ids;
  }

  /** The hidden state of each row's last slot: [batch, hidden]. */
  static INDArray lastSlots(INDArray h, int batch, int n) {
    int[] rows = new int[batch];
    for (int r = 0; r < batch; r++) {
      rows[r] = r * n + n - 1;
    }
    return org.synergen.model.nn.Rows.gather(h, rows);
  }
}
