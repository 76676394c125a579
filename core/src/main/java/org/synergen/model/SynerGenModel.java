package org.synergen.model;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.synergen.config.ModelConfig;
import org.synergen.model.nn.CrossEntropy;
import org.synergen.model.nn.Linear;
import org.synergen.model.nn.Parameters;
import org.synergen.model.nn.Routing;
import org.synergen.model.nn.Rows;
import org.synergen.model.nn.SequenceLayout;
import org.synergen.model.nn.StepMemory;
import org.synergen.model.nn.Transformer;
import org.synergen.model.vision.FoldedImageEmbedding;
import org.synergen.model.vision.UnfoldHead;

/**
 * SynerGen-VL: a decoder-only LLM (Qwen2 / InternLM2 micro-architecture) over one interleaved
 * sequence of text tokens and folded image tokens, with a vision expert FFN in every layer and a
 * token unfolding head that predicts the image ids of each folded block.
 *
 * <pre>
 *   text token  --embed_tokens-------------------\
 *   image block --vision embed + pos, fold MLP----+--> layers (attn shared; FFN by modality) --> norm
 *                                                          |-- lm_head ----------> text logits
 *                                                          '-- unfolding head ----> m*n image ids
 * </pre>
 *
 * <p>Training is a hand-written forward/backward on plain ND4J ops (each block caches what its
 * backward needs), not SameDiff: see docs/architecture.md, "Engine choices", for why. Parameters are float32 for
 * training; DOUBLE models exist for finite-difference gradient checks. One instance is not
 * thread-safe (blocks keep the activations of the last forward pass).
 */
public final class SynerGenModel {
  /** Weight of the image-id loss (paper: lambda = 2). */
  public static final double DEFAULT_IMAGE_LOSS_WEIGHT = 2.0;

  private final ModelConfig cfg;
  private final Parameters params;
  private final Transformer llm;
  private final Linear lmHead;
  private final FoldedImageEmbedding imageEmbedding;
  private final UnfoldHead unfoldHead;

  private SynerGenModel(ModelConfig cfg, LinkedHashMap<String, INDArray> values) {
    checkShapes(cfg);
    this.cfg = cfg;
    this.params = new Parameters(values);
    this.llm = new Transformer(params, "model", cfg.numLayers(), cfg.numHeads(), cfg.numKvHeads(),
        cfg.headDim(), cfg.ropeTheta(), cfg.attentionBias(), cfg.rmsNormEps(), true);
    this.lmHead = new Linear(params, "lm_head", false);
    this.imageEmbedding = new FoldedImageEmbedding(params, cfg);
    this.unfoldHead = new UnfoldHead(params, cfg);
  }

  /** Random float32 model: weights normal(0, 0.02), norms 1, biases 0, vision experts = copies of the text FFNs. */
  public static SynerGenModel create(ModelConfig cfg, long seed) {
    return create(cfg, seed, DataType.FLOAT);
  }

  /** As {@link #create(ModelConfig, long)} in {@code dtype} (DOUBLE for gradient checks). */
  public static SynerGenModel create(ModelConfig cfg, long seed, DataType dtype) {
    Nd4j.getRandom().setSeed(seed);
    LinkedHashMap<String, INDArray> values = new LinkedHashMap<>();
    for (Map.Entry<String, long[]> e : ParameterShapes.of(cfg).entrySet()) {
      String name = e.getKey();
      INDArray t;
      if (name.endsWith("norm.weight")) {
        t = Nd4j.ones(dtype, e.getValue());
      } else if (name.endsWith(".bias")) {
        t = Nd4j.zeros(dtype, e.getValue());
      } else if (name.contains(".vision_mlp.")) {
        t = values.get(name.replace(".vision_mlp.", ".mlp.")).dup();
      } else {
        t = Nd4j.randn(dtype, e.getValue()).muli(0.02);
      }
      values.put(name, t);
    }
    return new SynerGenModel(cfg, values);
  }

  /**
   * Wraps existing tensors (the model takes ownership, no copy). Every name of
   * {@link ParameterShapes#of} must be present with its shape, all in one dtype (FLOAT or DOUBLE).
   */
  public static SynerGenModel fromParameters(ModelConfig cfg, Map<String, INDArray> params) {
    LinkedHashMap<String, long[]> shapes = ParameterShapes.of(cfg);
    LinkedHashMap<String, INDArray> values = new LinkedHashMap<>();
    DataType dtype = null;
    for (Map.Entry<String, long[]> e : shapes.entrySet()) {
      INDArray t = params.get(e.getKey());
      if (t == null) {
        throw new IllegalArgumentException("parameter " + e.getKey() + " is missing (expected shape "
            + java.util.Arrays.toString(e.getValue()) + ")");
      }
      if (!java.util.Arrays.equals(t.shape(), e.getValue())) {
        throw new IllegalArgumentException("parameter " + e.getKey() + " has shape "
            + java.util.Arrays.toString(t.shape()) + ", the config needs " + java.util.Arrays.toString(e.getValue()));
      }
      if (t.dataType() != DataType.FLOAT && t.dataType() != DataType.DOUBLE) {
        throw new IllegalArgumentException("parameter " + e.getKey() + " is " + t.dataType()
            + "; convert to FLOAT on load");
      }
      if (dtype != null && t.dataType() != dtype) {
        throw new IllegalArgumentException("parameter " + e.getKey() + " is " + t.dataType()
            + " but earlier ones are " + dtype + "; all must share one dtype");
      }
      dtype = t.dataType();
      values.put(e.getKey(), t.ordering() == 'c' && !t.isView() ? t : t.dup('c'));
    }
    for (String name : params.keySet()) {
      if (!shapes.containsKey(name)) {
        throw new IllegalArgumentException("unexpected parameter " + name + " for this config");
      }
    }
    return new SynerGenModel(cfg, values);
  }

  public ModelConfig config() {
    return cfg;
  }

  /** All tensors by canonical name, in {@link ParameterShapes} order (live arrays, not copies). */
  public Map<String, INDArray> parameters() {
    return params.values();
  }

  /** Restricts which tensors get gradients; the others are skipped in backward (default: all). */
  public void setTrainable(Predicate<String> trainable) {
    params.setNeedsGrad(trainable);
  }

  /** Gradients of the last {@link #forwardBackward}, by name, for the trainable tensors. */
  public Map<String, INDArray> gradients() {
    return params.grads();
  }

  /** Logits [T, vocab] of one text-only causal sequence at positions 0..T-1 (model dtype). */
  public INDArray textLogits(int[] tokens) {
    checkTokens(tokens, null);
    SequenceLayout layout = SequenceLayout.causal(1, tokens.length);
    INDArray x = Rows.gather(params.get("model.embed_tokens.weight"), tokens);
    return lmHead.forward(llm.forward(x, layout, Routing.allText(tokens.length)));
  }

  /** Losses of a batch without gradients. */
  public Loss loss(Batch batch, double imageLossWeight) {
    return run(batch, imageLossWeight, false);
  }

  public Loss forwardBackward(Batch batch) {
    return forwardBackward(batch, DEFAULT_IMAGE_LOSS_WEIGHT);
  }

  /**
   * Forward and backward over a batch; gradients (zeroed first) are then in {@link #gradients}.
   *
   * @param imageLossWeight lambda in {@code text CE + lambda * image-id CE}
   */
  public Loss forwardBackward(Batch batch, double imageLossWeight) {
    return run(batch, imageLossWeight, true);
  }

  private Loss run(Batch batch, double lambda, boolean backward) {
    if (batch.foldSize() != cfg.vision().foldSize()) {
      throw new IllegalArgumentException("batch folds " + batch.foldSize() + " ids per image token, the model "
          + cfg.vision().foldSize());
    }
    boolean[] isText = new boolean[batch.rows()];
    for (int i = 0; i < isText.length; i++) {
      isText[i] = !batch.image()[i];
    }
    int[] textRows = Batch.indices(isText);
    int[] imageRows = Batch.indices(batch.image());
    int[] tokens = new int[textRows.length];
    for (int k = 0; k < textRows.length; k++) {
      tokens[k] = batch.tokens()[textRows[k]];
    }
    checkTokens(tokens, textRows);
    int[] imageIds = batch.slots(batch.imageIds(), imageRows);
    int[] imagePos = batch.slots(batch.imagePos(), imageRows);
    checkImage(imageIds, imagePos);
    int[] textLossRows = Batch.indices(batch.textLoss());
    int[] textTargets = new int[textLossRows.length];
    for (int k = 0; k < textLossRows.length; k++) {
      textTargets[k] = batch.textTarget()[textLossRows[k]];
    }
    int[] imageLossRows = Batch.indices(batch.imageLoss());
    int[] imageTargets = batch.slots(batch.imageTarget(), imageLossRows);
    checkImage(imageTargets, null);

    try (MemoryWorkspace step = StepMemory.step()) {
      if (backward) {
        params.zeroGrads();
      }
      DataType dtype = params.dataType();
      SequenceLayout layout = new SequenceLayout(batch.batchSize(), batch.seqLen(), batch.segment());
      Routing routing = new Routing(textRows, imageRows);
      INDArray x = Nd4j.zeros(dtype, batch.rows(), cfg.hiddenSize());
      if (textRows.length > 0) {
        Rows.scatterAdd(x, textRows, Rows.gather(params.get("model.embed_tokens.weight"), tokens));
      }
      if (imageRows.length > 0) {
        Rows.scatterAdd(x, imageRows, imageEmbedding.forward(imageIds, imagePos));
      }
      INDArray h = llm.forward(x, layout, routing);

      CrossEntropy.Result text = null;
      if (textLossRows.length > 0) {
        text = CrossEntropy.of(lmHead.forward(Rows.gather(h, textLossRows)), textTargets, 1.0);
      }
      CrossEntropy.Result image = null;
      if (imageLossRows.length > 0) {
        image = CrossEntropy.of(unfoldHead.forward(Rows.gather(h, imageLossRows), imageTargets), imageTargets, lambda);
      }
      double textLoss = text == null ? 0 : text.loss();
      double imageLoss = image == null ? 0 : image.loss();
      Loss loss = new Loss(textLoss + lambda * imageLoss, textLoss, imageLoss, textLossRows.length,
          imageTargets.length);
      if (!backward) {
        return loss;
      }

      INDArray dh = Nd4j.zeros(dtype, h.shape());
      if (text != null) {
        Rows.scatterAdd(dh, textLossRows, lmHead.backward(text.dLogits()));
      }
      if (image != null) {
        Rows.scatterAdd(dh, imageLossRows, unfoldHead.backward(image.dLogits()));
      }
      INDArray dx = llm.backward(dh);
      INDArray gEmbed = params.grad("model.embed_tokens.weight");
      if (gEmbed != null && textRows.length > 0) {
        Rows.scatterAdd(gEmbed, tokens, Rows.gather(dx, textRows));
      }
      if (imageRows.length > 0) {
        imageEmbedding.backward(Rows.gather(dx, imageRows));
      }
      return loss;
    }
  }

  private static void checkShapes(ModelConfig cfg) {
    ModelConfig.Vision v = cfg.vision();
    if (cfg.headDim() % 2 != 0) {
      throw new IllegalArgumentException("RoPE needs an even head dimension; hidden size " + cfg.hiddenSize()
          + " / " + cfg.numHeads() + " heads = " + cfg.headDim());
    }
    if (v.unfoldHidden() % v.unfoldHeads() != 0 || (v.unfoldHidden() / v.unfoldHeads()) % 2 != 0) {
      throw new IllegalArgumentException("unfolding head: width " + v.unfoldHidden() + " / " + v.unfoldHeads()
          + " heads must give an even head dimension (RoPE)");
    }
  }

  private void checkTokens(int[] tokens, int[] rows) {
    for (int k = 0; k < tokens.length; k++) {
      if (tokens[k] < 0 || tokens[k] >= cfg.vocabSize()) {
        throw new IllegalArgumentException("token id " + tokens[k] + " at position " + (rows == null ? k : rows[k])
            + " is outside the vocabulary [0, " + cfg.vocabSize() + ")");
      }
    }
  }

  private void checkImage(int[] ids, int[] pos) {
    int codebook = cfg.vision().codebookSize();
    int table = cfg.vision().maxGridRows() * cfg.vision().maxGridCols();
    for (int k = 0; k < ids.length; k++) {
      if (ids[k] < 0 || ids[k] >= codebook) {
        throw new IllegalArgumentException("image id " + ids[k] + " is outside the codebook [0, " + codebook + ")");
      }
      if (pos != null && (pos[k] < 0 || pos[k] >= table)) {
        throw new IllegalArgumentException("image position index " + pos[k] + " is outside the "
            + cfg.vision().maxGridRows() + "x" + cfg.vision().maxGridCols() + " position table");
      }
    }
  }
}
