package org.synergen.bench;

import com.typesafe.config.ConfigFactory;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.synergen.config.ModelConfig;
import org.synergen.model.Batch;
import org.synergen.model.SynerGenModel;
import org.synergen.model.nn.Execution;
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
 * One SynerGen-VL training step (forward, backward, AdamW) on our hand-written ND4J model and, side
 * by side in the same run, on its libtorch twin ({@link LibtorchSynerGen}): ms per step, tokens/s,
 * model FLOP/s, the ratio to ND4J's sgemm peak measured in the same run, and peak RSS. Each engine
 * runs in a child JVM of its own so that its peak RSS is its own; the parent prints the table.
 * Also measures what vision-expert routing costs (gather/scatter vs both FFNs on every row).
 */
@Command(name = "bench-model", mixinStandardHelpOptions = true,
    description = "Time one SynerGen-VL training step on ND4J and on libtorch (DJL), side by side.")
public final class TrainStepBenchmark implements Callable<Integer> {
  /** The ND4J step with {@link Execution#denseAttention}: the attention before the blockwise kernel. */
  private static final String DENSE = "nd4j-dense";
  private static final String RESULT = "RESULT ";

  @Option(names = "--model", description = "HOCON model file (default: conf/model/bench.conf)")
  Path modelFile;

  @Option(names = "--batch", defaultValue = "8", description = "sequences per step (default: ${DEFAULT-VALUE})")
  int batch;

  @Option(names = "--seq", defaultValue = "256", description = "tokens per sequence (default: ${DEFAULT-VALUE})")
  int seq;

  @Option(names = "--warmup", defaultValue = "3", description = "untimed steps first (default: ${DEFAULT-VALUE})")
  int warmup;

  @Option(names = "--steps", defaultValue = "10",
      description = "timed steps; the median is reported (default: ${DEFAULT-VALUE})")
  int steps;

  @Option(names = "--engine", hidden = true, description = "internal: run one engine and print its result")
  String engine;

  @Option(names = "--stage", defaultValue = "SFT",
      description = "freeze policy of the ND4J step: SFT (all train, comparable to libtorch) or STAGE1")
  FreezePolicy stage;

  public static void main(String[] args) {
    System.exit(new CommandLine(new TrainStepBenchmark()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    Path file = modelFile != null ? modelFile
        : Path.of(System.getProperty("synergen.home", "."), "conf/model/bench.conf");
    if (!Files.isRegularFile(file)) {
      System.err.println("bench-model: model file " + file + " not found (pass --model FILE)");
      return 2;
    }
    ModelConfig cfg = ModelConfig.fromConfig(ConfigFactory.parseFile(file.toFile()).resolve().getConfig("model"));
    Batch b = SyntheticBatches.mixed(cfg, batch, seq, 1, seq / 2, 1);
    if (engine != null) {
      double ms = "libtorch".equals(engine) ? timeLibtorch(cfg, b)
          : timeNd4j(cfg, b, stage, Execution.DEFAULT.withDenseAttention(DENSE.equals(engine)));
      System.out.println(RESULT + ms + " " + peakRssMiB());
      return 0;
    }

    System.out.printf("machine: %d cores, OMP_NUM_THREADS=%s, %s%n", Runtime.getRuntime().availableProcessors(),
        System.getenv("OMP_NUM_THREADS"), cpuName());
    System.out.printf("model %s: d %d, %d layers, %d heads (%d kv), ffn %d, vocab %d; fold %dx%d; unfold head %d x %d%n",
        file.getFileName(), cfg.hiddenSize(), cfg.numLayers(), cfg.numHeads(), cfg.numKvHeads(),
        cfg.intermediateSize(), cfg.vocabSize(), cfg.vision().foldRows(), cfg.vision().foldCols(),
        cfg.vision().unfoldLayers(), cfg.vision().unfoldHidden());
    System.out.printf("batch %d x %d tokens, half image tokens; %d warm-up + %d timed steps, median%n%n",
        batch, seq, warmup, steps);
    double peak = sgemmPeak();
    double flops = trainFlops(cfg, b);
    List<String[]> rows = new ArrayList<>();
    double[] nd4j = child(file, "nd4j", FreezePolicy.SFT);
    double[] torch = child(file, "libtorch", FreezePolicy.SFT);
    double[] stage1 = child(file, "nd4j", FreezePolicy.STAGE1);
    double[] dense = child(file, DENSE, FreezePolicy.SFT);
    rows.add(row("full step, all parameters train", "ND4J 1.0.0-M2.1, hand-written backward", nd4j, flops, peak));
    rows.add(row("full step, all parameters train", "libtorch 2.7.1 (DJL 0.36), autograd", torch, flops, peak));
    rows.add(row("stage 1 (LLM frozen: no weight grads for it)", "ND4J 1.0.0-M2.1, hand-written backward", stage1,
        Double.NaN, peak));
    rows.add(row("full step, dense T x T attention instead of blockwise", "ND4J 1.0.0-M2.1, hand-written backward",
        dense, flops, peak));
    System.out.println("| step | engine | ms/step | tokens/s | model GFLOP/s | of ND4J sgemm peak | peak RSS MiB |");
    System.out.println("|---|---|---|---|---|---|---|");
    for (String[] r : rows) {
      System.out.println("| " + String.join(" | ", r) + " |");
    }
    System.out.printf("%nND4J step speed / libtorch step speed: %.2fx (target >= 0.5x); with dense attention: %.2fx%n",
        torch[0] / nd4j[0], torch[0] / dense[0]);
    System.out.printf("ND4J sgemm peak (best of 1024/2048 square, this run): %.1f GFLOP/s%n%n", peak / 1e9);
    routingCost(cfg);
    return 0;
  }

  private String[] row(String step, String engineName, double[] result, double flops, double peak) {
    double ms = result[0];
    String gflops = Double.isNaN(flops) ? "-" : String.format("%.1f", flops / (ms / 1e3) / 1e9);
    String ofPeak = Double.isNaN(flops) ? "-" : String.format("%.0f%%", 100 * flops / (ms / 1e3) / peak);
    return new String[] {step, engineName, String.format("%.0f", ms), String.format("%.0f", batch * seq / (ms / 1e3)),
        gflops, ofPeak, String.format("%.0f", result[1])};
  }

  /** Runs this benchmark for one engine in a fresh JVM (same classpath and JVM options) and reads its result. */
  private double[] child(Path file, String engineName, FreezePolicy policy) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments());
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), TrainStepBenchmark.class.getName(),
        "--engine", engineName, "--stage", policy.name(), "--model", file.toString(), "--batch", "" + batch,
        "--seq", "" + seq, "--warmup", "" + warmup, "--steps", "" + steps));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().putIfAbsent("PYTORCH_FLAVOR", "cpu");
    Process p = pb.start();
    double[] result = null;
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        if (line.startsWith(RESULT)) {
          String[] f = line.substring(RESULT.length()).split(" ");
          result = new double[] {Double.parseDouble(f[0]), Double.parseDouble(f[1])};
        }
      }
    }
    if (p.waitFor() != 0 || result == null) {
      throw new IllegalStateException("the " + engineName + " benchmark process failed (exit " + p.exitValue() + ")");
    }
    System.out.printf("%s (%s): %.0f ms/step%n", engineName, policy, result[0]);
    return result;
  }

  private double timeNd4j(ModelConfig cfg, Batch b, FreezePolicy policy, Execution execution) {
    SynerGenModel model = SynerGenModel.create(cfg, 42);
    model.setExecution(execution);
    TrainableSet trainable = policy.select(cfg, model.parameters().keySet());
    model.setTrainable(trainable::trains);
    AdamW opt = AdamW.paper(0.05);
    return medianMs(() -> {
      model.forwardBackward(b);
      GradientClipping.clip(model.gradients(), trainable, 1.0);
      opt.step(model.parameters(), model.gradients(), trainable, 1e-4);
    });
  }

  private double timeLibtorch(ModelConfig cfg, Batch b) {
    SynerGenModel weights = SynerGenModel.create(cfg, 42);
    try (LibtorchSynerGen twin = new LibtorchSynerGen(cfg, weights.parameters())) {
      return medianMs(() -> {
        twin.forwardBackward(b, SynerGenModel.DEFAULT_IMAGE_LOSS_WEIGHT);
        twin.adamW(1e-4, 0.05);
      });
    }
  }

  private double medianMs(Runnable step) {
    double[] ms = new double[steps];
    for (int s = -warmup; s < steps; s++) {
      long t0 = System.nanoTime();
      step.run();
      if (s >= 0) {
        ms[s] = (System.nanoTime() - t0) / 1e6;
      }
    }
    Arrays.sort(ms);
    return ms[steps / 2];
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
    fwd += 2.0 * count(b.textLoss()) * d * cfg.vocabSize();
    fwd += 2.0 * count(b.image()) * (v.foldSize() * v.embedDim() * (double) v.foldMlpHidden() + v.foldMlpHidden() * d);
    double u = v.unfoldHidden();
    double headRows = (double) count(b.imageLoss()) * v.foldSize();
    double headLayer = 2 * 4 * u * u + 2 * 3 * u * v.unfoldIntermediate() + 4.0 * v.foldSize() * u;
    fwd += headRows * (v.unfoldLayers() * headLayer + 2 * u * v.codebookSize());
    if (u != d) {
      fwd += 2.0 * count(b.imageLoss()) * d * u;
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
    Map<String, INDArray> w = new LinkedHashMap<>();
    for (String e : new String[] {"mlp", "vision_mlp"}) {
      w.put(e + ".gate_proj.weight", Nd4j.randn(DataType.FLOAT, ffn, d).muli(0.02));
      w.put(e + ".up_proj.weight", Nd4j.randn(DataType.FLOAT, ffn, d).muli(0.02));
      w.put(e + ".down_proj.weight", Nd4j.randn(DataType.FLOAT, d, ffn).muli(0.02));
    }
    Parameters p = new Parameters(new LinkedHashMap<>(w));
    SwiGluFfn text = new SwiGluFfn(p, "mlp");
    SwiGluFfn vision = new SwiGluFfn(p, "vision_mlp");
    INDArray x = Nd4j.randn(DataType.FLOAT, n, d);
    INDArray dy = Nd4j.randn(DataType.FLOAT, n, d);
    int[] tRows = new int[n / 2];
    int[] vRows = new int[n / 2];
    INDArray mask = Nd4j.zeros(DataType.FLOAT, n, 1);
    for (int i = 0, it = 0, iv = 0; i < n; i++) {
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
    System.out.println("Vision-expert routing, one layer's FFN forward+backward on " + n + " rows (half image):");
    System.out.println("| approach | ms (median of 10) |");
    System.out.println("|---|---|");
    System.out.printf("| gather rows, one FFN per row, scatter back (used) | %.1f |%n", medianOf(routed));
    System.out.printf("| both FFNs on every row, blended by the mask | %.1f |%n", medianOf(both));
  }

  private static double medianOf(Runnable r) {
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

  static long peakRssMiB() {
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

  static String cpuName() {
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
