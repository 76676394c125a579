package org.synergen.model.vision;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.synergen.config.ModelConfig;
import org.synergen.model.nn.Gelu;
import org.synergen.model.nn.Linear;
import org.synergen.model.nn.Parameters;
import org.synergen.model.nn.Rows;

/**
 * SynerGen-VL's visual input: each image id gets its own codebook embedding plus a learned 2-D
 * position embedding; the m*n embeddings of one folded block are concatenated (raster order inside
 * the block, see {@link Folding}) and a 2-layer GELU MLP maps them to one LLM-width token.
 */
public final class FoldedImageEmbedding {
  private final Parameters p;
  private final int foldSize;
  private final int embedDim;
  private final Linear fc1;
  private final Gelu gelu = new Gelu();
  private final Linear fc2;
  private int[] ids;
  private int[] pos;

  public FoldedImageEmbedding(Parameters p, ModelConfig cfg) {
    this.p = p;
    this.foldSize = cfg.vision().foldSize();
    this.embedDim = cfg.vision().embedDim();
    this.fc1 = new Linear(p, "vision.fold_mlp.fc1", true);
    this.fc2 = new Linear(p, "vision.fold_mlp.fc2", true);
  }

  /**
   * @param ids codebook ids of M blocks, block after block, m*n per block
   * @param pos their 2-D position indices (grid row * maxGridCols + grid column)
   * @return [M, d] LLM input tokens
   */
  public INDArray forward(int[] ids, int[] pos) {
    this.ids = ids;
    this.pos = pos;
    int blocks = ids.length / foldSize;
    INDArray e = Rows.gather(p.get("vision.embed_tokens.weight"), ids)
        .addi(Rows.gather(p.get("vision.pos_embed.weight"), pos));
    return fc2.forward(gelu.forward(fc1.forward(e.reshape(blocks, (long) foldSize * embedDim))));
  }

  public void backward(INDArray dy) {
    INDArray de = fc1.backward(gelu.backward(fc2.backward(dy))).reshape(ids.length, embedDim);
    INDArray gEmbed = p.grad("vision.embed_tokens.weight");
    if (gEmbed != null) {
      Rows.scatterAdd(gEmbed, ids, de);
    }
    INDArray gPos = p.grad("vision.pos_embed.weight");
    if (gPos != null) {
      Rows.scatterAdd(gPos, pos, de);
    }
  }
}
