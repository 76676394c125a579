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
import java.util.List;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.synergen.config.ModelConfig;
import org.synergen.model.Batch;
import org.synergen.model.SynerGenModel;
import org.synergen.model.nn.AttentionKernel;
import org.synergen.model.nn.Execution;
import org.synergen.model.nn.SequenceLayout;
import org.synergen.model.nn.StepMemory;
import org.synergen.train.freeze.FreezePolicy;
import org.synergen.train.freeze.TrainableSet;
import org.synergen.train.optim.AdamW;
import org.synergen.train.optim.GradientClipping;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Training at the paper's scale on one process: a Qwen2-0.5B-shaped SynerGen-VL model (random
 * weights) trained for a few steps at a long sequence, with and without activation checkpointing,
 * then one attention layer's forward + backward, blockwise vs dense, at growing sequence lengths.
 * Every measurement runs in a child JVM of its own so that its peak RSS is its own.
 */
@Command(name = "bench-scale", mixinStandardHelpOptions = true,
    description = "Train a large SynerGen-VL model at a long sequence (memory, time) and time attention vs length.")
public final class ScaleBenchmark implements Callable<Integer> {
  private static final String RESULT = "RESULT ";

  @Option(names = "--model", description = "HOCON model file (default: conf/model/qwen2-0.5b.conf)")
  Path modelFile;

  @Option(names = "--seq", defaultValue = "4096",
      description = "tokens per sequence, batch 1; 0 skips the training runs (default: ${DEFAULT-VALUE})")
  int seq;

  @Option(names = "--steps", defaultValue = "2",
      description = "training steps per run; the first is a warm-up, the rest are timed (default: ${DEFAULT-VALUE})")
  int steps;

  @Option(names = "--stage", defaultValue = "STAGE2", description = "freeze policy (default: ${DEFAULT-VALUE})")
  FreezePolicy stage;

  @Option(names = "--plain-seq", defaultValue = "1024",
      description = "sequence length of the run without checkpointing; 0 skips it (at the full length its "
          + "activations, ~15 GB for qwen2-0.5b at 4096, do not fit this machine) (default: ${DEFAULT-VALUE})")
  int plainSeq;

  @Option(names = "--attention-seq", split = ",", defaultValue = "1024,2048,4096",
      description = "sequence lengths of the attention table (default: ${DEFAULT-VALUE})")
  int[] attentionSeq;

  @Option(names = "--dense-max-seq", defaultValue = "4096",
      description = "longest sequence the dense attention is run at (default: ${DEFAULT-VALUE})")
  int denseMaxSeq;

  @Option(names = "--attention-block", defaultValue = "128",
      description = "query rows per block of the blockwise attention, in training and in the table (default: ${DEFAULT-VALUE})")
  int attentionBlock;

  @Option(names = "--run", hidden = true, description = "internal: one measurement, printed as a result line")
  String run;

  public static void main(String[] args) {
    System.exit(new CommandLine(new ScaleBenchmark()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    Path file = modelFile != null ? modelFile
        : Path.of(System.getProperty("synergen.home", "."), "conf/model/qwen2-0.5b.conf");
    if (!Files.isRegularFile(file)) {
      System.err.println("bench-scale: model file " + file + " not found (pass --model FILE)");
      return 2;
    }
    if (steps < 2) {
      System.err.println("bench-scale: --steps must be at least 2 (one warm-up, one timed)");
      return 2;
    }
    if (attentionBlock < 1) {
      System.err.println("bench-scale: --attention-block must be at least 1 row");
      return 2;
    }
    ModelConfig cfg = ModelConfig.fromConfig(ConfigFactory.parseFile(file.toFile()).resolve().getConfig("model"));
    if (run != null) {
      String[] a = run.split(":");
      double[] r = a[0].equals("train") ? train(cfg, Integer.parseInt(a[1]), Boolean.parseBoolean(a[2]))
          : attention(cfg, Integer.parseInt(a[1]), Boolean.parseBoolean(a[2]));
      System.out.println(RESULT + r[0] + " " + r[1] + " " + TrainStepBenchmark.peakRssMiB());
      return 0;
    }

    System.out.printf("machine: %d cores, OMP_NUM_THREADS=%s, %s%n", Runtime.getRuntime().availableProcessors(),
        System.getenv("OMP_NUM_THREADS"), TrainStepBenchmark.cpuName());
    System.out.printf("model %s: d %d, %d layers, %d heads (%d kv), ffn %d, vocab %d; unfold head %d x %d; %s%n",
        file.getFileName(), cfg.hiddenSize(), cfg.numLayers(), cfg.numHeads(), cfg.numKvHeads(),
        cfg.intermediateSize(), cfg.vocabSize(), cfg.vision().unfoldLayers(), cfg.vision().unfoldHidden(), stage);
    System.out.printf("batch 1, 4 packed samples per row, a quarter image tokens; %d steps per run, the first untimed%n%n",
        steps);
    System.out.println("| run | seq | ms/step | tokens/s | peak RSS MiB |");
    System.out.println("|---|---|---|---|---|");
    if (seq > 0) {
      trainRow(file, seq, true);
    }
    if (plainSeq > 0) {
      trainRow(file, plainSeq, true);
      trainRow(file, plainSeq, false);
    }
    System.out.printf("%nOne attention layer (%d heads x %d), forward + backward, batch 1, one causal sample:%n",
        cfg.numHeads(), cfg.headDim());
    System.out.println("| kernel | seq | ms | ND4J workspace MiB | peak RSS MiB |");
    System.out.println("|---|---|---|---|---|");
    for (boolean dense : new boolean[] {false, true}) {
      for (int t : attentionSeq) {
        if (dense && t > denseMaxSeq) {
          System.out.printf("| dense | %d | (not run: over --dense-max-seq) | | |%n", t);
          continue;
        }
        double[] r = child(file, "attention:" + t + ":" + dense);
        System.out.printf("| %s | %d | %.0f | %.0f | %.0f |%n",
            dense ? "dense" : "blockwise (" + attentionBlock + "-row blocks)", t,
            r[0], r[1], r[2]);
      }
    }
    return 0;
  }

  private void trainRow(Path file, int t, boolean checkpoint) throws IOException, InterruptedException {
    double[] r = child(file, "train:" + t + ":" + checkpoint);
    System.out.printf("| %s | %d | %.0f | %.0f | %.0f |%n",
        checkpoint ? "activation checkpointing per layer" : "no checkpointing", t, r[0], t / (r[0] / 1e3), r[2]);
  }

  /** Trains {@code steps} steps; returns the median ms of the timed ones. */
  private double[] train(ModelConfig cfg, int t, boolean checkpoint) {
    Batch b = SyntheticBatches.mixed(cfg, 1, t, 4, t / 16, 1);
    SynerGenModel model = SynerGenModel.create(cfg, 42);
    model.setExecution(Execution.DEFAULT.withAttentionBlock(attentionBlock).withCheckpointLayers(checkpoint));
    TrainableSet trainable = stage.select(cfg, model.parameters().keySet());
    model.setTrainable(trainable::trains);
    AdamW opt = AdamW.paper(0.05);
    double[] ms = new double[steps - 1];
    for (int s = 0; s < steps; s++) {
      long t0 = System.nanoTime();
      double loss = model.forwardBackward(b).total();
      GradientClipping.clip(model.gradients(), trainable, 1.0);
      opt.step(model.parameters(), model.gradients(), trainable, 1e-4);
      double took = (System.nanoTime() - t0) / 1e6;
      System.err.printf("step %d: %.0f ms, loss %.4f, peak RSS %d MiB%n", s, took, loss, TrainStepBenchmark.peakRssMiB());
      if (s > 0) {
        ms[s - 1] = took;
      }
    }
    Arrays.sort(ms);
    return new double[] {ms[ms.length / 2], 0};
  }

  /** One layer's attention core at length t; returns ms of the second pass and the workspaces' MiB. */
  private double[] attention(ModelConfig cfg, int t, boolean dense) {
    int h = cfg.numHeads();
    Nd4j.getRandom().setSeed(5);
    INDArray q = Nd4j.randn(DataType.FLOAT, h, t, cfg.headDim());
    INDArray k = Nd4j.randn(DataType.FLOAT, h, t, cfg.headDim());
    INDArray v = Nd4j.randn(DataType.FLOAT, h, t, cfg.headDim());
    INDArray dOut = Nd4j.randn(DataType.FLOAT, h, t, cfg.headDim());
    SequenceLayout layout = SequenceLayout.causal(1, t);
    AttentionKernel kernel = AttentionKernel.of(Execution.DEFAULT.withAttentionBlock(attentionBlock).withDenseAttention(dense));
    double ms = 0;
    for (int rep = 0; rep < 2; rep++) {
      long t0 = System.nanoTime();
      try (MemoryWorkspace step = StepMemory.step()) {
        kernel.forward(q, k, v, layout, h);
        kernel.backward(dOut);
      }
      ms = (System.nanoTime() - t0) / 1e6;
    }
    long bytes = 0;
    for (MemoryWorkspace ws : Nd4j.getWorkspaceManager().getAllWorkspacesForCurrentThread()) {
      bytes += ws.getCurrentSize();
    }
    return new double[] {ms, bytes / (1024.0 * 1024.0)};
  }

  /** Runs one measurement in a fresh JVM (same classpath and JVM options) and reads its result line. */
  private double[] child(Path file, String what) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments());
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), ScaleBenchmark.class.getName(),
        "--run", what, "--model", file.toString(), "--steps", "" + steps, "--stage", stage.name(),
        "--attention-block", "" + attentionBlock));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    double[] result = null;
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        if (line.startsWith(RESULT)) {
          result = Arrays.stream(line.substring(RESULT.length()).split(" ")).mapToDouble(Double::parseDouble).toArray();
        } else {
          System.err.println("  [" + what + "] " + line);
        }
      }
    }
    if (p.waitFor() != 0 || result == null) {
      throw new IllegalStateException("the " + what + " benchmark process failed (exit " + p.exitValue() + ")");
    }
    return result;
  }
}
