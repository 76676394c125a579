package org.synergen.model.decode;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.synergen.config.ModelConfig;
import org.synergen.model.nn.KvCache;
import org.synergen.model.vision.Folding;
import org.synergen.model.vision.UnfoldHead;

/**
 * Image generation as SynerGen-VL does it. The prompt ends with {@code <boi>}; then, for each of
 * the H x W folded positions in raster order, the LLM's hidden state at the last slot goes to the
 * unfolding head, which samples the block's m*n VQ ids one by one (slot s sees the ids before it);
 * the block is folded back (same folded image embedding as training) as the next LLM input. After
 * the last block the row-major id grid is returned ({@code <eoi>} would follow; it changes no id).
 *
 * <p>Classifier-free guidance: every prompt has an unconditional twin (the
 * {@code <UNCOND>} prompt or a negative prompt), a row of its own in the same cache, fed the same
 * sampled ids. At every slot both branches' head logits are combined by
 * {@link ClassifierFreeGuidance} before the one draw, as transformers' unbatched CFG processor.
 */
public final class ImageGenerator {
  private final IncrementalDecoder decoder;
  private final ModelConfig.Vision vision;

  /** The id grids (row-major, rows x cols each) and the cache they were generated in. */
  public record Result(List<int[]> grids, KvCache cache) {}

  public ImageGenerator(IncrementalDecoder decoder) {
    this.decoder = decoder;
    this.vision = decoder.config().vision();
  }

  /**
   * @param prompts   conditional prompts, each ending with {@code <boi>}
   * @param uncond    their unconditional twins (also ending with {@code <boi>}), or null for no
   *                  guidance (the same ids as guidance at scale 1, at half the cost)
   * @param rows      id-grid rows (image height / VQ downsampling factor), a multiple of m
   * @param cols      id-grid columns, a multiple of n
   * @param samplers  one per prompt
   * @param progress  called with the number of folded positions done, after each
   */
  public Result generate(List<Prompt> prompts, List<Prompt> uncond, int rows, int cols, Guidance guidance,
      List<Sampler> samplers, IntConsumer progress) {
    int m = vision.foldRows();
    int n = vision.foldCols();
    if (rows % m != 0 || cols % n != 0 || rows > vision.maxGridRows() || cols > vision.maxGridCols()) {
      throw new IllegalArgumentException("an id grid of " + rows + "x" + cols + " must be a multiple of the "
          + m + "x" + n + " folding and at most the model's " + vision.maxGridRows() + "x" + vision.maxGridCols()
          + " position table");
    }
    int b = prompts.size();
    boolean guided = uncond != null;
    if (samplers.size() != b || (guided && uncond.size() != b)) {
      throw new IllegalArgumentException(b + " prompts need as many samplers and unconditional prompts");
    }
    List<Prompt> all = new ArrayList<>(prompts);
    if (guided) {
      all.addAll(uncond);
    }
    int width = all.size();
    int f = vision.foldSize();
    int blocks = (rows / m) * (cols / n);
    // the 2-D position indices of every block's ids, exactly as training folds a grid
    int[] blockPos = Folding.fold(new int[rows * cols], rows, cols, m, n, vision.maxGridCols()).pos();
    Feed prefill = Feed.leftPadded(all, f);
    KvCache cache = decoder.newCache(width, prefill.n() + blocks);
    INDArray hidden = TextGenerator.lastSlots(decoder.forward(cache, prefill), width, prefill.n());
    int[][] folded = new int[b][blocks * f];
    UnfoldHead head = decoder.unfoldHead();
    for (int k = 0; k < blocks; k++) {
      int[] ids = new int[width * f];
      for (int s = 0; s < f; s++) {
        INDArray logits = head.forward(hidden, ids).castTo(DataType.DOUBLE);
        for (int r = 0; r < b; r++) {
          double[] cond = logits.getRow((long) r * f + s).toDoubleVector();
          double[] z = guided
              ? ClassifierFreeGuidance.apply(cond, logits.getRow((long) (b + r) * f + s).toDoubleVector(), guidance.scale())
              : cond;
          int id = samplers.get(r).next(z);
          ids[r * f + s] = id;
          if (guided) {
            ids[(b + r) * f + s] = id;
          }
        }
      }
      for (int r = 0; r < b; r++) {
        System.arraycopy(ids, r * f, folded[r], k * f, f);
      }
      if (progress != null) {
        progress.accept(k + 1);
      }
      if (k + 1 < blocks) {
        hidden = decoder.forward(cache, Feed.image(width, f, ids, positions(blockPos, k, width)));
      }
    }
    List<int[]> grids = new ArrayList<>();
    for (int[] ids : folded) {
      grids.add(Folding.unfold(ids, rows, cols, m, n));
    }
    return new Result(grids, cache);
  }

  /** Block k's m*n position indices, repeated for every row of the batch. */
  private int[] positions(int[] blockPos, int k, int width) {
    int f = vision.foldSize();
    int[] pos = new int[width * f];
    for (int w = 0; w < width; w++) {
      System.arraycopy(blockPos, k * f, pos, w * f, f);
    }
    return pos;
  }
}
