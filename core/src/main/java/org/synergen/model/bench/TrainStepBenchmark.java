package org.synergen.model.bench;

import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.synergen.config.ModelConfig;
import org.synergen.model.Batch;
import org.synergen.model.SynerGenModel;
import org.synergen.model.nn.Parameters;
import org.synergen.model.nn.Rows;
import org.synergen.model.nn.SwiGluFfn;
import org.synergen.train.freeze.FreezePolicy;
import org.synergen.train.freeze.TrainableSet;
import org.synergen.train.optim.AdamW;
import org.synergen.train.optim.GradientClipping;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Training-step speed of the hand-written ND4J model: ms per step (forward, backward, clipping,
 * AdamW), tokens/s, model FLOP/s and their ratio to ND4J's own sgemm peak measured in the same
 * run, peak RSS; plus what MMoE routing costs (gather/scatter vs running both FFNs on every row).
 * Prints Markdown tables; an engine column (e.g. libtorch) can be added as more rows.
 */
@Command(name = "bench-model", mixinStandardHelpOptions = true,
    description = "Benchmark one SynerGen-VL training step on ND4J (CPU).")
public final class TrainStepBenchmark implements Callable<Integer> {
  @Option(names = "--model", description = "HOCON model file (default: conf/model/bench.conf)")
  Path modelFile;

  @Option(names = "--batch", defaultValue = "8", description = "sequences per step (default: ${DEFAULT-VALUE})")
  int batch;

  @Option(names = "--seq", defaultValue = "256", description = "tokens per sequence (default: ${DEFAULT-VALUE})")
  int seq;

  @Option(names = "--warmup", defaultValue = "3", description = "untimed steps first (default: ${DEFAULT-VALUE})")
  int warmup;

  @Option(names = "--steps", defaultValue = "10", description = "timed steps; the median is reported (default: ${DEFAULT-VALUE})")
  int steps;

  public static void main(String[] args) {
    System.exit(new CommandLine(new TrainStepBenchmark()).execute(args));
  }

  @Override
  public Integer call() throws IOException {
    Path file = modelFile != null ? modelFile
        : Path.of(System.getProperty("synergen.home", "."), "conf/model/bench.conf");
    if (!Files.isRegularFile(file)) {
      System.err.println("bench-model: model file " + file + " not found (pass --model FILE)");
      return 2;
    }
    if (seq % 2 != 0 || seq < 8) {
      System.err.println("bench-model: --seq must be even and >= 8");
      return 2;
    }
    ModelConfig cfg = ModelConfig.fromConfig(ConfigFactory.parseFile(file.toFile()).resolve().getConfig("model"));
    System.out.printf("machine: %d cores, OMP_NUM_THREADS=%s, %s%n", Runtime.getRuntime().availableProcessors(),
        System.getenv("OMP_NUM_THREADS"), cpuName());
    System.out.printf("model %s: d %d, %d layers, %d heads (%d kv), ffn %d, vocab %d; fold %dx%d; unfold head %d x %d wide%n",
        file.getFileName(), cfg.hiddenSize(), cfg.numLayers(), cfg.numHeads(), cfg.numKvHeads(),
        cfg.intermediateSize(), cfg.vocabSize(), cfg.vision().foldRows(), cfg.vision().foldCols(),
        cfg.vision().unfoldLayers(), cfg.vision().unfoldHidden());
    System.out.printf("batch %d x %d tokens, half of them image tokens; %d warm-up + %d timed steps%n%n",
        batch, seq, warmup, steps);

    double peak = sgemmPeak();
    List<String[]> rows = new ArrayList<>();
    Batch full = batch(cfg, true);
    Batch decoderOnly = batch(cfg, false);
    rows.add(run(cfg, "decoder: MMoE layers + text CE on every position", decoderOnly, FreezePolicy.SFT, peak));
    rows.add(run(cfg, "full: + fold MLP, unfold head, image CE (SFT: all train)", full, FreezePolicy.SFT, peak));
    rows.add(run(cfg, "full, stage 1 (LLM frozen, no weight grads for it)", full, FreezePolicy.STAGE1, peak));
    System.out.println("| step | engine | ms/step (median) | tokens/s | model GFLOP/s | of sgemm peak | peak RSS MiB (JVM so far) |");
    System.out.println("|---|---|---|---|---|---|---|");
    for (String[] r : rows) {
      System.out.println("| " + String.join(" | ", r) + " |");
    }
    System.out.printf("%nND4J sgemm peak (best of 1024/2048 square): %.1f GFLOP/s%n%n", peak / 1e9);
    routingCost(cfg);
    return 0;
  }

  private String[] run(ModelConfig cfg, String name, Batch b, FreezePolicy stage, double peak) {
    SynerGenModel model = SynerGenModel.create(cfg, 42);
    TrainableSet trainable = stage.select(cfg, model.parameters().keySet());
    model.setTrainable(trainable::trains);
    AdamW opt = AdamW.paper(0.05);
    double[] ms = new double[steps];
    for (int s = -warmup; s < steps; s++) {
      long t0 = System.nanoTime();
      model.forwardBackward(b);
      GradientClipping.clip(model.gradients(), trainable, 1.0);
      opt.step(model.parameters(), model.gradients(), trainable, 1e-4);
      if (s >= 0) {
        ms[s] = (System.nanoTime() - t0) / 1e6;
      }
    }
    Arrays.sort(ms);
    double median = ms[steps / 2];
    double flops = trainFlops(cfg, b);
    double flopsPerS = flops / (median / 1e3);
    return new String[] {name, "ND4J 1.0.0-M2.1, hand-written backward", String.format("%.0f", median),
        String.format("%.0f", batch * seq / (median / 1e3)), String.format("%.1f", flopsPerS / 1e9),
        String.format("%.0f%%", 100 * flopsPerS / peak), String.format("%d", peakRssMiB())};
  }

  /**
   * Half image tokens per row: {@code text..., <boi>, seq/2 image blocks, <eoi>, text...}. The
   * full step counts text loss on text positions and image loss where the next token is an
   * image block; the decoder-only step counts text loss everywhere and skips the unfolding head.
   */
  private Batch batch(ModelConfig cfg, boolean withImageLoss) {
    ModelConfig.Vision v = cfg.vision();
    int f = v.foldSize();
    int n = batch * seq;
    Random r = new Random(1);
    int[] tokens = new int[n];
    boolean[] image = new boolean[n];
    int[] imageIds = new int[n * f];
    int[] imagePos = new int[n * f];
    int[] textTarget = new int[n];
    boolean[] textLoss = new boolean[n];
    int[] imageTarget = new int[n * f];
    boolean[] imageLoss = new boolean[n];
    int images = seq / 2;
    int start = (seq - images) / 2;
    for (int b = 0; b < batch; b++) {
      for (int t = 0; t < seq; t++) {
        int i = b * seq + t;
        tokens[i] = r.nextInt(Math.min(v.boiId(), cfg.vocabSize()));
        if (t >= start && t < start + images) {
          image[i] = true;
          int block = t - start;
          for (int s = 0; s < f; s++) {
            imageIds[i * f + s] = r.nextInt(v.codebookSize());
            int gr = (block * f + s) / v.maxGridCols() % v.maxGridRows();
            imagePos[i * f + s] = gr * v.maxGridCols() + (block * f + s) % v.maxGridCols();
          }
        }
      }
      tokens[b * seq + start - 1] = v.boiId();
      tokens[b * seq + start + images] = v.eoiId();
      for (int t = 0; t + 1 < seq; t++) {
        int i = b * seq + t;
        if (withImageLoss && image[i + 1]) {
          imageLoss[i] = true;
          System.arraycopy(imageIds, (i + 1) * f, imageTarget, i * f, f);
        } else {
          textLoss[i] = true;
          textTarget[i] = tokens[i + 1];
        }
      }
    }
    return new Batch(batch, seq, f, tokens, image, new int[n], imageIds, imagePos, textTarget, textLoss,
        imageTarget, imageLoss);
  }

  /** Matmul FLOPs of one training step as executed (full T x T attention), backward = 2x forward. */
  private double trainFlops(ModelConfig cfg, Batch b) {
    ModelConfig.Vision v = cfg.vision();
    double rows = (double) batch * seq;
    double d = cfg.hiddenSize();
    double qd = cfg.numHeads() * cfg.headDim();
    double kvd = cfg.numKvHeads() * cfg.headDim();
    double perLayer = 2 * (d * qd + 2 * d * kvd + qd * d) + 2 * 3 * d * cfg.intermediateSize() + 4.0 * seq * qd;
    double fwd = rows * cfg.numLayers() * perLayer;
    int textTargets = count(b.textLoss());
    int imagePositions = count(b.imageLoss());
    int imageTokens = count(b.image());
    fwd += 2.0 * textTargets * d * cfg.vocabSize();
    fwd += 2.0 * imageTokens * (v.foldSize() * v.embedDim() * (double) v.foldMlpHidden() + v.foldMlpHidden() * d);
    double u = v.unfoldHidden();
    double headRows = (double) imagePositions * v.foldSize();
    double headLayer = 2 * 4 * u * u + 2 * 3 * u * v.unfoldIntermediate() + 4.0 * v.foldSize() * u;
    fwd += headRows * (v.unfoldLayers() * headLayer + 2 * u * v.codebookSize());
    if (u != d) {
      fwd += 2.0 * imagePositions * d * u;
    }
    return 3 * fwd;
  }

  private static int count(boolean[] a) {
    int c = 0;
    for (boolean x : a) {
      c += x ? 1 : 0;
    }
    return c;
  }

  private static double sgemmPeak() {
    double best = 0;
    for (int n : new int[] {1024, 2048}) {
      INDArray a = Nd4j.rand(DataType.FLOAT, n, n);
      INDArray b = Nd4j.rand(DataType.FLOAT, n, n);
      INDArray c = Nd4j.create(DataType.FLOAT, n, n);
      for (int rep = 0; rep < 6; rep++) {
        long t0 = System.nanoTime();
        Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
        double s = (System.nanoTime() - t0) / 1e9;
        if (rep > 0) {
          best = Math.max(best, 2.0 * n * n * n / s);
        }
      }
    }
    return best;
  }

  /** One layer's FFN part, forward + backward, at the benchmark's shape: routed vs both FFNs on every row. */
  private void routingCost(ModelConfig cfg) {
    int n = batch * seq;
    int d = cfg.hiddenSize();
    int ffn = cfg.intermediateSize();
    Nd4j.getRandom().setSeed(3);
    LinkedHashMap<String, INDArray> w = new LinkedHashMap<>();
    for (String e : new String[] {"mlp", "vision_mlp"}) {
      w.put(e + ".gate_proj.weight", Nd4j.randn(DataType.FLOAT, ffn, d).muli(0.02));
      w.put(e + ".up_proj.weight", Nd4j.randn(DataType.FLOAT, ffn, d).muli(0.02));
      w.put(e + ".down_proj.weight", Nd4j.randn(DataType.FLOAT, d, ffn).muli(0.02));
    }
    Parameters p = new Parameters(w);
    SwiGluFfn text = new SwiGluFfn(p, "mlp");
    SwiGluFfn vision = new SwiGluFfn(p, "vision_mlp");
    INDArray x = Nd4j.randn(DataType.FLOAT, n, d);
    INDArray dy = Nd4j.randn(DataType.FLOAT, n, d);
    int[] tRows = new int[n / 2];
    int[] vRows = new int[n / 2];
    INDArray mask = Nd4j.zeros(DataType.FLOAT, n, 1);
    for (int i = 0, it = 0, iv = 0; i < n; i++) {
      // each sequence: first half text, second half image
      if (i % seq < seq / 2) {
        tRows[it++] = i;
      } else {
        vRows[iv++] = i;
        mask.putScalar(i, 0, 1.0);
      }
    }
    INDArray inv = mask.rsub(1.0);
    Runnable routed = () -> {
      INDArray out = Nd4j.zeros(DataType.FLOAT, n, d);
      Rows.scatterAdd(out, tRows, text.forward(Rows.gather(x, tRows)));
      Rows.scatterAdd(out, vRows, vision.forward(Rows.gather(x, vRows)));
      INDArray dx = Nd4j.zeros(DataType.FLOAT, n, d);
      Rows.scatterAdd(dx, tRows, text.backward(Rows.gather(dy, tRows)));
      Rows.scatterAdd(dx, vRows, vision.backward(Rows.gather(dy, vRows)));
    };
    Runnable both = () -> {
      text.forward(x).muliColumnVector(inv).addi(vision.forward(x).muliColumnVector(mask));
      text.backward(dy.mulColumnVector(inv)).addi(vision.backward(dy.mulColumnVector(mask)));
    };
    System.out.println("MMoE routing, one layer's FFN forward+backward on " + n + " rows (half image):");
    System.out.println("| approach | ms (median of 10) |");
    System.out.println("|---|---|");
    System.out.printf("| gather rows, one FFN per row, scatter back (used) | %.1f |%n", median(routed));
    System.out.printf("| both FFNs on every row, blended by the mask | %.1f |%n", median(both));
  }

  private static double median(Runnable r) {
    double[] ms = new double[10];
    for (int i = -2; i < ms.length; i++) {
      long t0 = System.nanoTime();
      r.run();
      if (i >= 0) {
        ms[i] = (System.nanoTime() - t0) / 1e6;
      }
    }
    Arrays.sort(ms);
    return ms[ms.length / 2];
  }

  private static long peakRssMiB() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
        }
      }
    } catch (IOException e) {
      // not Linux: reported as -1
    }
    return -1;
  }

  private static String cpuName() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException e) {
      // unknown
    }
    return "unknown CPU";
  }
}
