package org.synergen.vision.vq;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Trains a VQ tokenizer of the Emu3 architecture from scratch (or on from a checkpoint) on square
 * image crops: loss = MSE reconstruction + codebook loss |sg(z) - e|^2 + beta * commitment loss
 * |z - sg(e)|^2, with the straight-through estimator carrying the decoder's gradient to the
 * encoder. Adam, plain fp32.
 *
 * <p>How the non-differentiable parts are kept out of SameDiff's autodiff: each step first runs the
 * encoder alone, picks the nearest codes outside the graph, and feeds the graph constants built
 * from them: the quantization residual (so {@code z + residual} equals the codes in value but
 * passes gradient to z unchanged), the codes themselves (commitment target), a one-hot matrix
 * (the codebook enters as {@code onehot x codebook}, which trains, where a gather would not) and z
 * (codebook-loss target).
 *
 * <p>A codebook trained from scratch starts on encoder outputs of the first batch: Emu3's
 * initialisation (uniform in +-1/K) puts every code near zero, and since the decoder's spatial norms
 * scale by 1x1 convolutions of the quantized latents, near-zero codes leave the decoder blind until
 * the codebook loss has slowly pulled the codes out (the first self-trained tokenizer stayed below a
 * flat-colour image after 300 steps that way). Codebook usage is tracked; codes unused for
 * {@code resetAfter} steps are moved onto encoder outputs of the current batch (a standard remedy
 * for dead codes), and the log says how many.
 * The temporal blocks' BatchNorm statistics stay at their initial values (mean 0, variance 1).
 */
public final class VqTrainer {

  /**
   * @param crop       side of the square training crops (a multiple of the spatial factor)
   * @param batch      crops per step
   * @param lr         Adam learning rate (after a linear warm-up of {@code warmup} steps)
   * @param beta       commitment weight
   * @param resetAfter steps a code may go unused before it is reset; 0 disables resets
   */
  public record Settings(int crop, int batch, double lr, int warmup, double beta, int resetAfter, long seed) {}

  /** Losses and codebook usage of one step. */
  public record StepStats(int step, double loss, double reconstruction, double codebook, double commitment,
      int codesInBatch, double perplexity, int codesReset) {}

  private static final String PIXELS = "pixels";
  private static final String RESIDUAL = "residual";
  private static final String CODES = "codes";
  private static final String ONE_HOT = "onehot";
  private static final String LATENT_ROWS = "latentRows";
  private static final String CODEBOOK = "quantize.embedding.weight";

  private final VqConfig config;
  private final Settings settings;
  private final Map<String, INDArray> tensors;
  private final VqGraph graph;
  private final String latents;
  private final List<String> lossNames;
  private final List<String> trainable = new ArrayList<>();
  private final Map<String, INDArray[]> adam = new HashMap<>();
  private final Random random;
  private final long[] lastUsed;
  private final boolean[] usedSinceLog;
  private boolean seedCodebook;
  private int step;

  /** @param start tensors to continue from (HF names); empty to train from scratch */
  public VqTrainer(VqConfig config, Settings settings, Map<String, INDArray> start) {
    if (settings.crop % config.spatialFactor() != 0) {
      throw new IllegalArgumentException("crop " + settings.crop + " is not a multiple of the spatial factor "
          + config.spatialFactor());
    }
    this.config = config;
    this.settings = settings;
    this.tensors = new LinkedHashMap<>(start);
    this.seedCodebook = !start.containsKey(CODEBOOK);
    this.random = new Random(settings.seed);
    int b = settings.batch;
    int s = settings.crop;
    long d = config.embedDim();
    long g = s / config.spatialFactor();
    long k = config.codebookSize();
    long rows = b * g * g;

    graph = new VqGraph(b, tensors, new Random(settings.seed));
    var sd = graph.sd;
    SDVariable pixels = sd.placeHolder(PIXELS, DataType.FLOAT, b, 3, s, s);
    SDVariable residual = sd.placeHolder(RESIDUAL, DataType.FLOAT, b, d, g, g);
    SDVariable codes = sd.placeHolder(CODES, DataType.FLOAT, b, d, g, g);
    SDVariable oneHot = sd.placeHolder(ONE_HOT, DataType.FLOAT, rows, k);
    SDVariable latentRows = sd.placeHolder(LATENT_ROWS, DataType.FLOAT, rows, d);

    Fmap z = Encoder.apply(graph, config, new Fmap(pixels, 3, s, s));
    latents = z.v().name();
    Fmap straightThrough = z.with(z.v().add(residual));
    Fmap recon = Decoder.apply(graph, config, straightThrough);
    SDVariable codebook = graph.param(CODEBOOK, VqGraph.Init.CODEBOOK, k, d);

    SDVariable rec = sd.math().squaredDifference(recon.v(), pixels).mean().rename("reconstruction");
    SDVariable commit = sd.math().squaredDifference(z.v(), codes).mean().rename("commitment");
    SDVariable cb = sd.math().squaredDifference(sd.mmul(oneHot, codebook), latentRows).mean().rename("codebook");
    SDVariable loss = rec.add(cb).add(commit.mul(settings.beta)).rename("loss");
    sd.setLossVariables(loss);
    lossNames = List.of(loss.name(), rec.name(), cb.name(), commit.name());

    graph.tensorsUsed().forEach((name, v) -> {
      if (v.isPlaceHolder() || sd.isConstant(name)) {
        return;
      }
      trainable.add(name);
    });
    // Build the backward graph now, with System.out muted: M2.1 prints one "Added differentiated op"
    // line per op (~1500 here) while it does.
    java.io.PrintStream out = System.out;
    System.setOut(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
    try {
      sd.createGradFunction();
    } finally {
      System.setOut(out);
    }
    lastUsed = new long[(int) k];
    usedSinceLog = new boolean[(int) k];
  }

  public VqConfig config() {
    return config;
  }

  /** Trainable parameter count. */
  public long parameterCount() {
    return trainable.stream().mapToLong(n -> tensors.get(n).length()).sum();
  }

  /** One Adam step on a batch of crops [batch, 3, crop, crop] in [-1, 1]. */
  public StepStats step(INDArray pixels) {
    step++;
    Map<String, INDArray> feed = feed(pixels);
    OutAndGrad og = graph.sd.calculateGradientsAndOutputs(feed, lossNames, trainable);
    double lr = settings.lr * Math.min(1.0, (double) step / Math.max(1, settings.warmup));
    for (String name : trainable) {
      adamUpdate(graph.sd.getArrForVarName(name), og.getGradients().get(name), name, lr);
    }
    long[] ids = feed.get(ONE_HOT).argMax(1).toLongVector();
    int reset = trackUsage(ids, feed.get(LATENT_ROWS), graph.sd.getArrForVarName(CODEBOOK));
    Map<String, INDArray> out = og.getOutputs();
    return new StepStats(step, out.get(lossNames.get(0)).getDouble(0), out.get(lossNames.get(1)).getDouble(0),
        out.get(lossNames.get(2)).getDouble(0), out.get(lossNames.get(3)).getDouble(0),
        distinct(ids), perplexity(ids), reset);
  }

  /**
   * The graph's inputs for a batch: runs the encoder, picks the nearest codes outside the graph
   * and derives the constants the losses need from them.
   */
  Map<String, INDArray> feed(INDArray pixels) {
    INDArray codebook = graph.sd.getArrForVarName(CODEBOOK);
    INDArray z = graph.sd.output(Map.of(PIXELS, pixels), latents).get(latents);
    if (seedCodebook) {
      seedCodebook = false;
      INDArray rows = z.permute(0, 2, 3, 1).dup('c').reshape(-1, z.size(1));
      for (int code = 0; code < codebook.size(0); code++) {
        moveOnto(codebook, code, rows);
      }
    }
    INDArray ids = Quantizer.nearest(z, codebook);
    INDArray codes = Quantizer.lookup(ids, codebook);
    long[] flat = ids.reshape(-1).toLongVector();
    INDArray oneHot = Nd4j.zeros(DataType.FLOAT, flat.length, codebook.size(0));
    for (int i = 0; i < flat.length; i++) {
      oneHot.putScalar(i, flat[i], 1f);
    }
    INDArray latentRows = z.permute(0, 2, 3, 1).dup('c').reshape(flat.length, z.size(1));
    return Map.of(PIXELS, pixels, RESIDUAL, codes.sub(z), CODES, codes, ONE_HOT, oneHot,
        LATENT_ROWS, latentRows);
  }

  /** The total loss for a fixed feed (for gradient checks). */
  double loss(Map<String, INDArray> feed) {
    return graph.sd.output(feed, lossNames.get(0)).get(lossNames.get(0)).getDouble(0);
  }

  /** Gradients of the total loss for a fixed feed, by trainable parameter name. */
  Map<String, INDArray> gradients(Map<String, INDArray> feed) {
    return graph.sd.calculateGradients(feed, trainable);
  }

  /** The live parameter array (for gradient checks). */
  INDArray parameter(String name) {
    return graph.sd.getArrForVarName(name);
  }

  List<String> trainableNames() {
    return trainable;
  }

  /** Codes used at least once since the previous call (then cleared). */
  public int takeCodesUsed() {
    int n = 0;
    for (int i = 0; i < usedSinceLog.length; i++) {
      n += usedSinceLog[i] ? 1 : 0;
      usedSinceLog[i] = false;
    }
    return n;
  }

  /** Current weights (copies) under HF names: a {@code model.safetensors}. */
  public Map<String, INDArray> weights() {
    Map<String, INDArray> out = new LinkedHashMap<>();
    for (String name : graph.tensorsUsed().keySet()) {
      INDArray a = graph.sd.getArrForVarName(name);
      out.put(name, a.dup());
    }
    return out;
  }

  /** The model as trained so far, for evaluation. */
  public VisionVq snapshot() {
    return new VisionVq(config, weights());
  }

  private void adamUpdate(INDArray param, INDArray grad, String name, double lr) {
    double b1 = 0.9;
    double b2 = 0.99;
    double eps = 1e-8;
    INDArray[] mv = adam.computeIfAbsent(name, n -> new INDArray[] {
        Nd4j.zerosLike(param), Nd4j.zerosLike(param)});
    mv[0].muli(b1).addi(grad.mul(1 - b1));
    mv[1].muli(b2).addi(grad.mul(grad).muli(1 - b2));
    double c1 = 1 - Math.pow(b1, step);
    double c2 = 1 - Math.pow(b2, step);
    INDArray denom = Transforms.sqrt(mv[1].div(c2)).addi(eps);
    param.subi(mv[0].div(denom).muli(lr / c1));
  }

  private int trackUsage(long[] ids, INDArray latentRows, INDArray codebook) {
    for (long id : ids) {
      lastUsed[(int) id] = step;
      usedSinceLog[(int) id] = true;
    }
    if (settings.resetAfter <= 0 || step % settings.resetAfter != 0) {
      return 0;
    }
    int reset = 0;
    for (int code = 0; code < lastUsed.length; code++) {
      if (step - lastUsed[code] >= settings.resetAfter) {
        moveOnto(codebook, code, latentRows);
        INDArray[] mv = adam.get(CODEBOOK);
        if (mv != null) {
          mv[0].getRow(code).assign(0);
          mv[1].getRow(code).assign(0);
        }
        lastUsed[code] = step;
        reset++;
      }
    }
    return reset;
  }

  /** Puts a code on a random one of the latent rows [n, D], plus a little noise to split ties. */
  private void moveOnto(INDArray codebook, int code, INDArray latentRows) {
    INDArray target = latentRows.getRow(random.nextInt((int) latentRows.size(0)));
    INDArray row = codebook.getRow(code);
    for (int i = 0; i < row.length(); i++) {
      row.putScalar(i, target.getDouble(i) + 1e-3 * random.nextGaussian());
    }
  }

  private static int distinct(long[] ids) {
    return (int) java.util.Arrays.stream(ids).distinct().count();
  }

  /** exp(entropy) of the code histogram: the effective number of codes in use. */
  private static double perplexity(long[] ids) {
    Map<Long, Integer> counts = new HashMap<>();
    for (long id : ids) {
      counts.merge(id, 1, Integer::sum);
    }
    double h = 0;
    for (int c : counts.values()) {
      double p = (double) c / ids.length;
      h -= p * Math.log(p);
    }
    return Math.exp(h);
  }
}
