package org.synergen.model;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.synergen.config.ModelConfig;
import org.synergen.model.nn.ChunkedHeadLoss;
import org.synergen.model.nn.Execution;
import org.synergen.model.nn.LayerShape;
import org.synergen.model.nn.Linear;
import org.synergen.model.nn.Parameters;
import org.synergen.model.nn.Routing;
import org.synergen.model.nn.SequenceLayout;
import org.synergen.model.nn.StepMemory;
import org.synergen.model.nn.Transformer;
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
  private final InputEmbedding embedding;
  private final UnfoldHead unfoldHead;
  private final ChunkedHeadLoss.Head textHead;
  private Execution execution = Execution.DEFAULT;

  private SynerGenModel(ModelConfig cfg, LinkedHashMap<String, INDArray> values) {
    checkShapes(cfg);
    this.cfg = cfg;
    this.params = new Parameters(values);
    this.llm = new Transformer(params, "model", cfg.numLayers(), LayerShape.llm(cfg), true);
    this.lmHead = new Linear(params, "lm_head", false);
    this.embedding = new InputEmbedding(params, cfg);
    this.unfoldHead = new UnfoldHead(params, cfg);
    this.textHead = ChunkedHeadLoss.linear(lmHead);
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

  /**
   * Chooses how forward and backward are carried out (attention kernel, activation checkpointing,
   * head chunks); losses and gradients stay the same up to float rounding.
   */
  public void setExecution(Execution execution) {
    this.execution = execution;
    llm.setExecution(execution);
    // the head's chunks already bound its activations; recomputing its layers would only cost time
    unfoldHead.setExecution(execution.withCheckpointLayers(false));
  }

  public Execution execution() {
    return execution;
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
    Routing routing = Routing.allText(tokens.length);
    INDArray x = embedding.forward(tokens.length, routing, tokens, new int[0], new int[0]);
    return lmHead.forward(llm.forward(x, SequenceLayout.causal(1, tokens.length), routing));
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

  /** Figure 3: embed (text) and fold (image), the LLM with its vision experts, then the two heads. */
  private Loss run(Batch batch, double lambda, boolean backward) {
    if (batch.foldSize() != cfg.vision().foldSize()) {
      throw new IllegalArgumentException("batch folds " + batch.foldSize() + " ids per image token, the model "
          + cfg.vision().foldSize());
    }
    Batch.Routed r = batch.routed();
    InputEmbedding.checkImageIds(cfg.vision(), r.imageTargets());
    try (MemoryWorkspace step = StepMemory.step()) {
      if (backward) {
        params.zeroGrads();
      }
      INDArray x = embedding.forward(batch.rows(), r.routing(), r.tokens(), r.imageIds(), r.imagePos());
      SequenceLayout layout = new SequenceLayout(batch.batchSize(), batch.seqLen(), batch.segment());
      INDArray h = llm.forward(x, layout, r.routing());

      // each head's loss and, when training, its backward, chunk by chunk (ChunkedHeadLoss)
      INDArray dh = backward ? Nd4j.zeros(params.dataType(), h.shape()) : null;
      int chunk = execution.headChunkRows();
      double textLoss = r.textLossRows().length == 0 ? 0
          : ChunkedHeadLoss.of(textHead, h, r.textLossRows(), r.textTargets(), 1, chunk, 1.0, dh);
      int f = cfg.vision().foldSize();
      double imageLoss = r.imageLossRows().length == 0 ? 0
          : ChunkedHeadLoss.of(unfoldHead, h, r.imageLossRows(), r.imageTargets(), f, Math.max(1, chunk / f), lambda, dh);
      if (backward) {
        embedding.backward(llm.backward(dh));
      }
      return new Loss(textLoss + lambda * imageLoss, textLoss, imageLoss, r.textLossRows().length,
          r.imageTargets().length);
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
}
