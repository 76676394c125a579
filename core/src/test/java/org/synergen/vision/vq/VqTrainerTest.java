package org.synergen.vision.vq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class VqTrainerTest {
  /** Two levels, attention inside a level, two temporal blocks: every trained op is on the path. */
  static final VqConfig TINY = new VqConfig(16, 4, 4, 3, 3, 4, 32, new int[] {1, 1}, 1, new int[] {1});

  /** Smooth random colour images in [-1, 1], [n, 3, s, s]. */
  static INDArray smoothImages(int n, int s, long seed) {
    Random r = new Random(seed);
    float[] v = new float[n * 3 * s * s];
    for (int i = 0; i < n; i++) {
      for (int c = 0; c < 3; c++) {
        double a = r.nextDouble() * 0.6;
        double b = r.nextDouble() * 0.6;
        double p = r.nextDouble() * 6;
        for (int y = 0; y < s; y++) {
          for (int x = 0; x < s; x++) {
            v[((i * 3 + c) * s + y) * s + x] = (float) (0.8 * Math.sin(a * x + b * y + p));
          }
        }
      }
    }
    return Nd4j.create(v, new long[] {n, 3, s, s}, 'c');
  }

  @Test
  void gradientsMatchFiniteDifferences() {
    VqTrainer t = new VqTrainer(TINY, new VqTrainer.Settings(16, 2, 1e-3, 1, 0.25, 0, 7), Map.of());
    // From scratch the residual branches end in zero weights, which would stop the gradient before
    // every op inside them; random weights there put every op on the checked path.
    Random w = new Random(5);
    for (String name : t.trainableNames()) {
      if (name.endsWith(".conv2.weight") || name.endsWith(".proj_out.weight")) {
        INDArray p = t.parameter(name);
        assertEquals(0.0, p.amaxNumber().doubleValue(), 0.0, name + " starts at zero");
        float[] v = new float[(int) p.length()];
        for (int i = 0; i < v.length; i++) {
          v[i] = (float) (0.05 * w.nextGaussian());
        }
        p.assign(Nd4j.create(v, p.shape(), 'c'));
      }
    }
    Map<String, INDArray> feed = t.feed(smoothImages(2, 16, 1));
    Map<String, INDArray> grads = t.gradients(feed);
    // Directional derivative along a random direction per tensor, central differences in float32.
    // The step is small because the random-init loss is strongly curved in the encoder's weights
    // (differences at 1e-2 are off by tens of percent there, at 3e-3 and below they settle); the
    // absolute slack covers float32 rounding of the loss divided by the step.
    Random r = new Random(3);
    int checked = 0;
    StringBuilder bad = new StringBuilder();
    for (String name : t.trainableNames()) {
      if (r.nextInt(3) != 0 && !name.contains("time") && !name.contains("quant")) {
        continue; // a third of the 2-D block tensors; every temporal, quant_conv and codebook one
      }
      INDArray p = t.parameter(name);
      INDArray u = Nd4j.randn(DataType.FLOAT, p.shape()).muli(Math.max(1e-2, p.std().getDouble(0)));
      double eps = 1e-3;
      p.addi(u.mul(eps));
      double up = t.loss(feed);
      p.subi(u.mul(2 * eps));
      double down = t.loss(feed);
      p.addi(u.mul(eps));
      double numeric = (up - down) / (2 * eps);
      double analytic = grads.get(name).castTo(DataType.DOUBLE).mul(u.castTo(DataType.DOUBLE)).sumNumber().doubleValue();
      double scale = Math.max(Math.abs(numeric), Math.abs(analytic));
      if (!(Math.abs(numeric - analytic) <= 0.05 * scale + 3e-4)) {
        bad.append(name + ": autodiff " + analytic + " vs finite differences " + numeric + "\n");
      }
      checked++;
    }
    assertEquals("", bad.toString());
    assertTrue(checked > 20, "checked " + checked + " tensors");
  }

  @Test
  void trainingReducesReconstructionErrorAndSavesALoadableModel(@TempDir Path dir) throws Exception {
    VqTrainer t = new VqTrainer(TINY, new VqTrainer.Settings(16, 2, 3e-3, 3, 0.25, 10, 11), Map.of());
    INDArray batch = smoothImages(2, 16, 5);
    double first = t.step(batch).reconstruction();
    VqTrainer.StepStats last = null;
    for (int i = 0; i < 30; i++) {
      last = t.step(batch);
    }
    assertTrue(last.reconstruction() < 0.5 * first,
        "reconstruction MSE " + first + " -> " + last.reconstruction());
    assertTrue(t.takeCodesUsed() > 1);

    // The HF layout written here loads back and decodes exactly like the trained weights.
    TINY.write(dir.resolve("config.json"));
    VqCheckpoint.write(dir.resolve("model.safetensors"), t.weights());
    VisionVq loaded = VisionVq.load(dir);
    assertEquals(TINY, loaded.config());
    VisionVq live = t.snapshot();
    INDArray ids = live.encode(batch);
    assertEquals(0L, ids.sub(loaded.encode(batch)).castTo(DataType.DOUBLE).norm1Number().longValue());
    assertEquals(0.0, Emu3ParityTest.maxAbsDiff(live.decode(ids), loaded.decode(ids)), 0.0);
    assertTrue(Files.size(dir.resolve("model.safetensors")) > 4 * t.parameterCount());
  }
}
