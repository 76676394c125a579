package org.synergen.model.nn;

import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A stack of {@link DecoderLayer}s and the final RMSNorm: the body of the LLM and of the unfolding head.
 *
 * <p>With {@link Execution#checkpointLayers} (activation checkpointing) each layer runs its forward
 * pass in a scratch workspace that is reset for the next layer, and only the layer's input is kept;
 * backward runs the layer's forward again from that input before its backward. Activations then
 * cost one [rows, width] matrix per layer plus one layer's worth, for one more forward pass of time.
 */
public final class Transformer {
  private final DecoderLayer[] layers;
  private final RmsNorm norm;
  private boolean checkpoint;
  private INDArray[] inputs;
  private SequenceLayout layout;
  private Routing routing;

  /**
   * @param prefix     {@code model} for the LLM ({@code model.layers.i.*}, {@code model.norm})
   * @param withVision whether every layer has a vision expert FFN
   */
  public Transformer(Parameters p, String prefix, int numLayers, LayerShape shape, boolean withVision) {
    layers = new DecoderLayer[numLayers];
    for (int i = 0; i < numLayers; i++) {
      layers[i] = new DecoderLayer(p, prefix + ".layers." + i, shape, withVision);
    }
    norm = new RmsNorm(p, prefix + ".norm", shape.rmsNormEps());
  }

  /** Chooses attention kernel and checkpointing for the next forward passes. */
  public void setExecution(Execution execution) {
    checkpoint = execution.checkpointLayers();
    for (DecoderLayer layer : layers) {
      layer.setExecution(execution);
    }
  }

  /** [rows, width] embeddings -> final normed hidden states [rows, width]. */
  public INDArray forward(INDArray x, SequenceLayout layout, Routing routing) {
    this.layout = layout;
    this.routing = routing;
    inputs = checkpoint ? new INDArray[layers.length] : null;
    INDArray h = x;
    for (int i = 0; i < layers.length; i++) {
      if (checkpoint) {
        inputs[i] = h;
        try (MemoryWorkspace scratch = StepMemory.layerScratch()) {
          h = layers[i].forward(h, layout, routing).detach();
        }
      } else {
        h = layers[i].forward(h, layout, routing);
      }
    }
    return norm.forward(h);
  }

  public INDArray backward(INDArray dy) {
    INDArray d = norm.backward(dy);
    for (int i = layers.length - 1; i >= 0; i--) {
      // the layer's backward temporaries die with its scratch workspace; only its input gradient is kept
      try (MemoryWorkspace scratch = StepMemory.layerScratch()) {
        if (inputs != null) {
          layers[i].forward(inputs[i], layout, routing);
        }
        d = layers[i].backward(d).detach();
      }
    }
    inputs = null;
    return d;
  }
}
