package org.synergen.model.nn;

import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;

/** A stack of {@link DecoderLayer}s and the final RMSNorm: the body of the LLM and of the unfolding head. */
public final class Transformer {
  private final DecoderLayer[] layers;
  private final RmsNorm norm;

  /**
   * @param prefix     {@code model} for the LLM ({@code model.layers.i.*}, {@code model.norm})
   * @param withVision whether every layer has a vision expert FFN
   */
  public Transformer(
      Parameters p, String prefix, int numLayers, int heads, int kvHeads, int headDim, double theta,
      boolean qkvBias, double eps, boolean withVision) {
    layers = new DecoderLayer[numLayers];
    for (int i = 0; i < numLayers; i++) {
      layers[i] = new DecoderLayer(
          p, prefix + ".layers." + i, heads, kvHeads, headDim, theta, qkvBias, eps, withVision);
    }
    norm = new RmsNorm(p, prefix + ".norm", eps);
  }

  /** [rows, width] embeddings -> final normed hidden states [rows, width]. */
  public INDArray forward(INDArray x, SequenceLayout layout, Routing routing) {
    INDArray h = x;
    for (DecoderLayer layer : layers) {
      h = layer.forward(h, layout, routing);
    }
    return norm.forward(h);
  }

  public INDArray backward(INDArray dy) {
    INDArray d = norm.backward(dy);
    for (int i = layers.length - 1; i >= 0; i--) {
      // the layer's backward temporaries die with its scratch workspace; only its input gradient is kept
      try (MemoryWorkspace scratch = StepMemory.layerBackward()) {
        d = layers[i].backward(d).detach();
      }
    }
    return d;
  }
}
