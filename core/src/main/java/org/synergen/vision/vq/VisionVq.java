package org.synergen.vision.vq;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The Emu3 vision tokenizer: images in [-1, 1] to grids of codebook ids and back.
 *
 * <p>Loads a HF-layout folder ({@code config.json} + {@code model.safetensors}, the names of
 * {@code BAAI/Emu3-VisionTokenizer}). Still images follow Emu3: the image is repeated over
 * {@code temporal_downsample_factor} frames to encode, and the first decoded frame is the image.
 * One SameDiff graph is built and cached per input shape.
 */
public final class VisionVq {
  private static final String INPUT = "input";

  private final VqConfig config;
  private final Map<String, INDArray> tensors;
  private final INDArray codebook;
  private final Map<String, Built> graphs = new HashMap<>();

  private record Built(VqGraph graph, String output) {}

  public VisionVq(VqConfig config, Map<String, INDArray> tensors) {
    this.config = config;
    this.tensors = tensors;
    this.codebook = tensors.get("quantize.embedding.weight");
    if (codebook == null || codebook.rank() != 2 || codebook.size(0) != config.codebookSize()
        || codebook.size(1) != config.embedDim()) {
      throw new IllegalArgumentException("model.safetensors: 'quantize.embedding.weight' must be ["
          + config.codebookSize() + ", " + config.embedDim() + "] as config.json says, got "
          + (codebook == null ? "nothing" : java.util.Arrays.toString(codebook.shape())));
    }
  }

  /** A tokenizer with Emu3's random initialisation (for benchmarks and as a training start). */
  public static VisionVq randomlyInitialised(VqConfig config, long seed) {
    Map<String, INDArray> tensors = new LinkedHashMap<>();
    int f = config.spatialFactor();
    VqGraph g = new VqGraph(1, tensors, new java.util.Random(seed));
    SDVariable image = g.sd.placeHolder(INPUT, DataType.FLOAT, 1, config.inChannels(), f, f);
    Fmap latent = Encoder.apply(g, config, new Fmap(image, config.inChannels(), f, f));
    Decoder.apply(g, config, latent);
    g.param("quantize.embedding.weight", VqGraph.Init.CODEBOOK, config.codebookSize(), config.embedDim());
    return new VisionVq(config, tensors);
  }

  /** Reads {@code dir/config.json} and {@code dir/model.safetensors}. */
  public static VisionVq load(Path dir) throws IOException {
    VqConfig cfg = VqConfig.read(dir.resolve("config.json"));
    Path weights = dir.resolve("model.safetensors");
    if (!java.nio.file.Files.isRegularFile(weights)) {
      throw new IOException(weights + ": not found (a VQ model folder holds config.json + model.safetensors)");
    }
    return new VisionVq(cfg, new LinkedHashMap<>(VqCheckpoint.read(weights)));
  }

  public VqConfig config() {
    return config;
  }

  /** Codebook [K, D]. */
  public INDArray codebook() {
    return codebook;
  }

  /** Encoder output before quantization: [batch, 3, H, W] in [-1, 1] -> [batch, D, H/f, W/f]. */
  public synchronized INDArray latents(INDArray pixels) {
    checkImage(pixels);
    Built b = graph("encode", pixels.shape(), () -> {
      VqGraph g = new VqGraph((int) pixels.size(0), tensors, null);
      SDVariable in = g.sd.placeHolder(INPUT, DataType.FLOAT, pixels.shape());
      return new Built(g, Encoder.apply(g, config, new Fmap(in, pixels.size(1), pixels.size(2), pixels.size(3))).v().name());
    });
    return b.graph.sd.output(Map.of(INPUT, pixels.castTo(DataType.FLOAT)), b.output).get(b.output);
  }

  /** Image ids: [batch, 3, H, W] in [-1, 1], H and W multiples of the spatial factor -> int64 [batch, H/f, W/f]. */
  public INDArray encode(INDArray pixels) {
    return Quantizer.nearest(latents(pixels), codebook);
  }

  /** Decoder output before clamping: ids [batch, h, w] -> float32 [batch, 3, h*f, w*f], about [-1, 1]. */
  public synchronized INDArray decode(INDArray ids) {
    if (ids.rank() != 3) {
      throw new IllegalArgumentException("ids must be [batch, h, w], got " + java.util.Arrays.toString(ids.shape()));
    }
    INDArray quant = Quantizer.lookup(ids, codebook);
    Built b = graph("decode", quant.shape(), () -> {
      VqGraph g = new VqGraph((int) quant.size(0), tensors, null);
      SDVariable in = g.sd.placeHolder(INPUT, DataType.FLOAT, quant.shape());
      return new Built(g, Decoder.apply(g, config, new Fmap(in, quant.size(1), quant.size(2), quant.size(3))).v().name());
    });
    return b.graph.sd.output(Map.of(INPUT, quant), b.output).get(b.output);
  }

  private Built graph(String kind, long[] shape, java.util.function.Supplier<Built> build) {
    return graphs.computeIfAbsent(kind + java.util.Arrays.toString(shape), k -> build.get());
  }

  private void checkImage(INDArray pixels) {
    int f = config.spatialFactor();
    if (pixels.rank() != 4 || pixels.size(1) != config.inChannels()
        || pixels.size(2) % f != 0 || pixels.size(3) % f != 0) {
      throw new IllegalArgumentException("pixels must be [batch, " + config.inChannels() + ", H, W] with H and W"
          + " multiples of " + f + ", got " + java.util.Arrays.toString(pixels.shape()));
    }
  }
}
