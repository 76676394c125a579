package org.synergen.tokenize.vq;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.synergen.vision.vq.VisionVq;
import org.synergen.vision.vq.VqConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "bench-vq",
    mixinStandardHelpOptions = true,
    description = {
        "Encoder throughput: images per second (and per core) through the VQ encoder at --size x --size",
        "with the Emu3 architecture at its published size (random weights), one image at a time.",
        "With --torch-python and --emu3, the same is measured with Emu3's PyTorch reference in the",
        "same run (scripts/bench/bench_vq_torch.py). Note: a still image is the same frame repeated",
        "4 times; this code runs the 2-D encoder once for it, the reference runs it on all 4 frames.",
        "Cores: OMP_NUM_THREADS (bin/synergen sets it to all cores unless you do)."})
public final class BenchVqCommand implements Callable<Integer> {

  @Option(names = "--size", defaultValue = "512", description = "(default ${DEFAULT-VALUE})")
  int size;

  @Option(names = "--runs", defaultValue = "2", description = "timed encodes after one untimed warm-up (default ${DEFAULT-VALUE})")
  int runs;

  @Option(names = "--config", paramLabel = "FILE", description = "config.json to benchmark (default: Emu3's published config)")
  Path config;

  @Option(names = "--torch-python", paramLabel = "PYTHON", description = "python with torch + transformers for the reference run")
  String python;

  @Option(names = "--emu3", paramLabel = "DIR", description = "checkout of github.com/baaivision/Emu3 for the reference run")
  Path emu3;

  @Override
  public Integer call() throws Exception {
    VqConfig cfg = config == null ? VqConfig.emu3() : VqConfig.read(config);
    // ND4J's OpenMP pool is sized by OMP_NUM_THREADS at start-up; the reference gets the same count.
    int cores = envThreads();
    System.err.printf("bench-vq: %s at %dx%d, %d core(s)%n", cfg, size, size, cores);
    VisionVq vq = VisionVq.randomlyInitialised(cfg, 1);
    INDArray image = Nd4j.rand(DataType.FLOAT, 1, 3, size, size).muli(2).subi(1);
    List<Double> seconds = new ArrayList<>();
    for (int i = 0; i <= runs; i++) {
      long t0 = System.nanoTime();
      vq.encode(image);
      double s = (System.nanoTime() - t0) / 1e9;
      System.err.printf("bench-vq: ND4J encode %d%s: %.2f s%n", i, i == 0 ? " (warm-up, builds the graph)" : "", s);
      if (i > 0) {
        seconds.add(s);
      }
    }
    double best = seconds.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
    System.out.printf("| implementation | image | cores | s / image (best of %d) | images/s | images/s per core |%n", runs);
    System.out.println("|---|---|---|---|---|---|");
    row("SameDiff / ND4J 1.0.0-M2.1 (this code)", cores, best);
    if (python != null && emu3 != null) {
      Double ref = reference(cores);
      if (ref != null) {
        row("Emu3 PyTorch reference (torch " + torchVersion + ")", cores, ref);
      }
    } else {
      System.err.println("bench-vq: no --torch-python/--emu3 given: the PyTorch reference was not run");
    }
    return 0;
  }

  private String torchVersion = "?";

  private void row(String name, int cores, double secondsPerImage) {
    System.out.printf("| %s | %dx%d | %d | %.2f | %.4f | %.5f |%n", name, size, size, cores, secondsPerImage,
        1 / secondsPerImage, 1 / secondsPerImage / cores);
  }

  private Double reference(int cores) throws Exception {
    Path script = Path.of(System.getProperty("synergen.home", "."), "scripts/bench/bench_vq_torch.py");
    ProcessBuilder pb = new ProcessBuilder(python, script.toString(), "--emu3", emu3.toString(),
        "--size", String.valueOf(size), "--runs", String.valueOf(runs), "--threads", String.valueOf(cores));
    if (config != null) {
      pb.command().addAll(List.of("--config", config.toString()));
    }
    pb.redirectErrorStream(true);
    Process p = pb.start();
    Double best = null;
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        System.err.println("bench-vq: [torch] " + line);
        if (line.startsWith("best_seconds=")) {
          best = Double.parseDouble(line.substring("best_seconds=".length()).trim());
        } else if (line.startsWith("torch=")) {
          torchVersion = line.substring("torch=".length()).trim();
        }
      }
    }
    if (p.waitFor() != 0 || best == null) {
      System.err.println("bench-vq: the PyTorch reference run failed (exit " + p.exitValue() + "); no reference row");
      return null;
    }
    return best;
  }

  private static int envThreads() {
    String env = System.getenv("OMP_NUM_THREADS");
    return env != null && env.matches("\\d+") ? Integer.parseInt(env) : Runtime.getRuntime().availableProcessors();
  }
}
