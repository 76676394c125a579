package org.synergen.model;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.synergen.config.ModelConfig;
import org.synergen.model.nn.Parameters;
import org.synergen.model.nn.Routing;
import org.synergen.model.nn.Rows;
import org.synergen.model.vision.FoldedImageEmbedding;

/**
 * The LLM's input rows by modality: a text token's row of {@code embed_tokens}, an image token's
 * folded visual embedding of its m*n ids ({@link FoldedImageEmbedding}). Shared by training
 * ({@link SynerGenModel}) and decoding; ids outside the tables are refused here, naming the row.
 */
public final class InputEmbedding {
  private static final String TEXT_TABLE = "model.embed_tokens.weight";

  private final ModelConfig cfg;
  private final Parameters p;
  private final FoldedImageEmbedding image;
  private Routing routing;
  private int[] tokens;

  public InputEmbedding(Parameters p, ModelConfig cfg) {
    this.cfg = cfg;
    this.p = p;
    this.image = new FoldedImageEmbedding(p, cfg);
  }

  /**
   * @param tokens   the text token of each of {@code routing.textRows()}
   * @param imageIds the m*n codebook ids of each of {@code routing.visionRows()}, row after row
   * @param imagePos their 2-D position indices
   * @return [rows, hidden] LLM inputs
   */
  public INDArray forward(int rows, Routing routing, int[] tokens, int[] imageIds, int[] imagePos) {
    check(routing, tokens, imageIds, imagePos);
    this.routing = routing;
    this.tokens = tokens;
    INDArray x = Nd4j.zeros(p.dataType(), rows, cfg.hiddenSize());
    if (tokens.length > 0) {
      Rows.scatterAdd(x, routing.textRows(), Rows.gather(p.get(TEXT_TABLE), tokens));
    }
    if (routing.visionRows().length > 0) {
      Rows.scatterAdd(x, routing.visionRows(), image.forward(imageIds, imagePos));
    }
    return x;
  }

  /** Accumulates the tables' gradients from dL/dx of the last {@link #forward}. */
  public void backward(INDArray dx) {
    INDArray gText = p.grad(TEXT_TABLE);
    if (gText != null && tokens.length > 0) {
      Rows.scatterAdd(gText, tokens, Rows.gather(dx, routing.textRows()));
    }
    if (routing.visionRows().length > 0) {
      image.backward(Rows.gather(dx, routing.visionRows()));
    }
  }

  private void check(Routing routing, int[] tokens, int[] imageIds, int[] imagePos) {
    int f = cfg.vision().foldSize();
    if (tokens.length != routing.textRows().length || imageIds.length != routing.visionRows().length * f
        || imagePos.length != imageIds.length) {
      throw new IllegalArgumentException(tokens.length + " tokens and " + imageIds.length + " image ids / "
          + imagePos.length + " positions for " + routing.textRows().length + " text rows and "
          + routing.visionRows().length + " image rows of " + f + " ids");
    }
    for (int k = 0; k < tokens.length; k++) {
      if (tokens[k] < 0 || tokens[k] >= cfg.vocabSize()) {
        throw new IllegalArgumentException("token id " + tokens[k] + " at position " + routing.textRows()[k]
            + " is outside the vocabulary [0, " + cfg.vocabSize() + ")");
      }
    }
    checkImageIds(cfg.vision(), imageIds);
    int table = cfg.vision().maxGridRows() * cfg.vision().maxGridCols();
    for (int k = 0; k < imagePos.length; k++) {
      if (imagePos[k] < 0 || imagePos[k] >= table) {
        throw new IllegalArgumentException("image position index " + imagePos[k] + " at position "
            + routing.visionRows()[k / f] + " is outside the " + cfg.vision().maxGridRows() + "x"
            + cfg.vision().maxGridCols() + " position table");
      }
    }
  }

  /** Refuses ids outside the codebook (image inputs here, and the unfolding head's targets). */
  static void checkImageIds(ModelConfig.Vision v, int[] ids) {
    for (int id : ids) {
      if (id < 0 || id >= v.codebookSize()) {
        throw new IllegalArgumentException("image id " + id + " is outside the codebook [0, " + v.codebookSize() + ")");
      }
    }
  }
}
