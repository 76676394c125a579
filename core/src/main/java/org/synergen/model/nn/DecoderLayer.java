package org.synergen.model.nn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One pre-norm decoder layer: x + attn(norm(x)), then + ffn(norm(.)).
 *
 * <p>With a vision expert (SynerGen-VL's MMoE), the second half routes each row statically by
 * its modality: text rows through {@code mlp}, image rows through {@code vision_mlp}. Only the
 * rows of a modality are gathered and run through its FFN, then scattered back, so each token
 * costs one FFN, not two. Attention and both norms are shared.
 */
public final class DecoderLayer {
  private final RmsNorm inputNorm;
  private final CausalSelfAttention attn;
  private final RmsNorm postNorm;
  private final SwiGluFfn mlp;
  private final SwiGluFfn visionMlp;
  private Routing routing;

  /**
   * @param prefix     e.g. {@code model.layers.3}
   * @param withVision whether the layer has a {@code vision_mlp} expert
   */
  public DecoderLayer(Parameters p, String prefix, LayerShape shape, boolean withVision) {
    this.inputNorm = new RmsNorm(p, prefix + ".input_layernorm", shape.rmsNormEps());
    this.attn = new CausalSelfAttention(p, prefix + ".self_attn", shape);
    this.postNorm = new RmsNorm(p, prefix + ".post_attention_layernorm", shape.rmsNormEps());
    this.mlp = new SwiGluFfn(p, prefix + ".mlp");
    this.visionMlp = withVision ? new SwiGluFfn(p, prefix + ".vision_mlp") : null;
  }

  /** Chooses how the layer's attention is computed (see {@link Execution}). */
  public void setExecution(Execution execution) {
    attn.setExecution(execution);
  }

  /** @param routing which rows are image tokens; {@link Routing#allText} when there are none */
  public INDArray forward(INDArray x, SequenceLayout layout, Routing routing) {
    if (visionMlp == null && routing.visionRows().length > 0) {
      throw new IllegalArgumentException("this layer has no vision expert but image rows were routed to it");
    }
    this.routing = routing;
    INDArray h = x.add(attn.forward(inputNorm.forward(x), layout));
    INDArray n = postNorm.forward(h);
    return h.addi(ffnForward(n));
  }

  public INDArray backward(INDArray dy) {
    INDArray dh = dy.add(postNorm.backward(ffnBackward(dy)));
    return dh.add(inputNorm.backward(attn.backward(dh)));
  }

  private INDArray ffnForward(INDArray n) {
    if (routing.visionRows().length == 0) {
      return mlp.forward(n);
    }
    if (routing.textRows().length == 0) {
      return visionMlp.forward(n);
    }
    INDArray out = Nd4j.zeros(n.dataType(), n.shape());
    Rows.scatterAdd(out, routing.textRows(), mlp.forward(Rows.gather(n, routing.textRows())));
    Rows.scatterAdd(out, routing.visionRows(), visionMlp.forward(Rows.gather(n, routing.visionRows())));
    return out;
  }

  private INDArray ffnBackward(INDArray dy) {
    if (routing.visionRows().length == 0) {
      return mlp.backward(dy);
    }
    if (routing.textRows().length == 0) {
      return visionMlp.backward(dy);
    }
    INDArray dn = Nd4j.zeros(dy.dataType(), dy.shape());
    Rows.scatterAdd(dn, routing.textRows(), mlp.backward(Rows.gather(dy, routing.textRows())));
    Rows.scatterAdd(dn, routing.visionRows(), visionMlp.backward(Rows.gather(dy, routing.visionRows())));
    return dn;
  }
}
