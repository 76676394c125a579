package org.synergen.tokenize;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.synergen.vision.vq.RgbImage;
import org.synergen.vision.vq.VqCheckpoint;
import org.synergen.vision.vq.VqConfig;
import org.synergen.vision.vq.VqImages;
import org.synergen.vision.vq.VqTrainer;

/**
 * A small VQ tokenizer of the Emu3 architecture trained here with the vq package's trainer (the
 * one {@code train-vq} runs), written as a HF-layout folder like {@code train-vq} writes. Smaller
 * than {@code VqConfig.tiny()} so that training fits a unit test: downsampling 8, 256 codes,
 * 32 channels at every level, temporal factor 1 (no temporal blocks).
 */
final class TestVq {
  static final VqConfig CONFIG = new VqConfig(256, 4, 4, 3, 3, 1, 32, new int[] {1, 1, 1, 1}, 1, new int[] {});

  private TestVq() {}

  /** Trains {@code steps} Adam steps on random 32x32 crops of {@code images}. */
  static Path train(List<RgbImage> images, int steps, Path dir) throws IOException {
    int crop = 32;
    int batch = 8;
    VqTrainer trainer = new VqTrainer(CONFIG, new VqTrainer.Settings(crop, batch, 3e-3, 5, 0.25, 10, 1), Map.of());
    Random rnd = new Random(3);
    for (int s = 0; s < steps; s++) {
      INDArray pixels = Nd4j.create(DataType.FLOAT, batch, 3, crop, crop);
      for (int i = 0; i < batch; i++) {
        RgbImage img = images.get(rnd.nextInt(images.size()));
        int y0 = rnd.nextInt(img.height() - crop + 1);
        int x0 = rnd.nextInt(img.width() - crop + 1);
        byte[] data = new byte[crop * crop * 3];
        for (int y = 0; y < crop; y++) {
          System.arraycopy(img.data(), ((y0 + y) * img.width() + x0) * 3, data, y * crop * 3, crop * 3);
        }
        pixels.get(NDArrayIndex.point(i)).assign(VqImages.toPixels(new RgbImage(crop, crop, data)));
      }
      trainer.step(pixels);
    }
    Files.createDirectories(dir);
    CONFIG.write(dir.resolve("config.json"));
    VqCheckpoint.write(dir.resolve("model.safetensors"), trainer.weights());
    return dir;
  }
}
