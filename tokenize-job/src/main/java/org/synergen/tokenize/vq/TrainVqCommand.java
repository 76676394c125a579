package org.synergen.tokenize.vq;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.synergen.io.Safetensors;
import org.synergen.vision.vq.RgbImage;
import org.synergen.vision.vq.VqCheckpoint;
import org.synergen.vision.vq.VqConfig;
import org.synergen.vision.vq.VqImageSet;
import org.synergen.vision.vq.VqImageSet.Named;
import org.synergen.vision.vq.VqImages;
import org.synergen.vision.vq.VqTrainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "train-vq",
    mixinStandardHelpOptions = true,
    description = {
        "Train a small VQ image tokenizer of the Emu3 architecture (the self-contained default when",
        "no pretrained Emu3 weights are at hand): MSE reconstruction + codebook + commitment losses",
        "with a straight-through estimator, Adam, codebook usage logged. No perceptual or GAN loss.",
        "Training images are squares cut at random from each image after resizing its shorter side to",
        "2 x --crop; every --eval-every steps and at the end, held-out images (resized to shorter side",
        "--eval-size, centre-cropped) are encoded and decoded and their PSNR printed.",
        "Writes DIR/config.json + DIR/model.safetensors (HF layout, loadable by encode-image) and",
        "DIR/train_log.tsv."})
public final class TrainVqCommand implements Callable<Integer> {

  @Option(names = "--input", required = true, paramLabel = "SHARDS",
      description = "ingest's Parquet image shards (a folder of *.parquet or one file) or a folder of images")
  Path input;

  @Option(names = "--output", required = true, paramLabel = "DIR", description = "where the tokenizer is written")
  Path output;

  @Option(names = "--config", paramLabel = "FILE",
      description = "HF config.json of the architecture to train (default: the built-in tiny config)")
  Path config;

  @Option(names = "--steps", defaultValue = "2000", description = "Adam steps (default ${DEFAULT-VALUE})")
  int steps;

  @Option(names = "--max-minutes", defaultValue = "0",
      description = "stop (and save) after this much wall time; 0 = no limit (default ${DEFAULT-VALUE})")
  double maxMinutes;

  @Option(names = "--crop", defaultValue = "32", description = "training crop side, a multiple of the downsampling factor (default ${DEFAULT-VALUE})")
  int crop;

  @Option(names = "--batch", defaultValue = "8", description = "crops per step (default ${DEFAULT-VALUE})")
  int batch;

  @Option(names = "--lr", defaultValue = "2e-3", description = "Adam learning rate (default ${DEFAULT-VALUE})")
  double lr;

  @Option(names = "--warmup", defaultValue = "20",
      description = "steps of linear learning-rate warm-up (default ${DEFAULT-VALUE})")
  int warmup;

  @Option(names = "--beta", defaultValue = "0.25", description = "commitment weight (default ${DEFAULT-VALUE})")
  double beta;

  @Option(names = "--reset-after", defaultValue = "50",
      description = "steps a code may go unused before it is moved onto an encoder output; 0 = never (default ${DEFAULT-VALUE})")
  int resetAfter;

  @Option(names = "--holdout", defaultValue = "4", description = "images kept out of training for PSNR (default ${DEFAULT-VALUE})")
  int holdout;

  @Option(names = "--eval-size", defaultValue = "128", description = "side of the held-out evaluation images (default ${DEFAULT-VALUE})")
  int evalSize;

  @Option(names = "--log-every", defaultValue = "25", description = "(default ${DEFAULT-VALUE})")
  int logEvery;

  @Option(names = "--eval-every", defaultValue = "250", description = "(default ${DEFAULT-VALUE})")
  int evalEvery;

  @Option(names = "--seed", defaultValue = "1", description = "(default ${DEFAULT-VALUE})")
  long seed;

  @Option(names = "--dtype", defaultValue = "F32",
      description = "how model.safetensors stores the weights: F32 or F16 (half the size; training itself"
          + " is float32) (default ${DEFAULT-VALUE})")
  Safetensors.DType dtype;

  @Override
  public Integer call() throws Exception {
    VqConfig cfg = config == null ? VqConfig.tiny() : VqConfig.read(config);
    VqImageSet.Loaded loaded = VqImageSet.load(input);
    loaded.skipped().forEach(s -> System.err.println("train-vq: skipped " + s));
    List<List<Named>> split = VqImageSet.split(loaded.images(), holdout);
    List<RgbImage> train = split.get(0).stream()
        .map(n -> VqImageSet.squareCropSource(n.image(), 2 * crop)).toList();
    List<Named> held = split.get(1);
    System.err.printf("train-vq: %d training images, %d held out (%s); %s%n", train.size(), held.size(),
        held.stream().map(Named::key).toList(), cfg);

    VqTrainer trainer = new VqTrainer(cfg, new VqTrainer.Settings(crop, batch, lr, warmup, beta, resetAfter, seed),
        Map.of());
    System.err.printf("train-vq: %,d parameters; %d steps of %d x %dx%d crops%n", trainer.parameterCount(),
        steps, batch, crop, crop);
    Files.createDirectories(output);
    Random rnd = new Random(seed);
    long start = System.nanoTime();
    try (PrintWriter log = new PrintWriter(Files.newBufferedWriter(output.resolve("train_log.tsv")))) {
      log.println("step\tseconds\tloss\treconstruction_mse\tcodebook\tcommitment\tcodes_in_batch\tperplexity"
          + "\tcodes_used_since_last\tcodes_reset\theldout_psnr_db");
      double window = 0;
      int resets = 0;
      for (int step = 1; step <= steps; step++) {
        VqTrainer.StepStats s = trainer.step(batch(train, rnd));
        window += s.reconstruction();
        resets += s.codesReset();
        double seconds = (System.nanoTime() - start) / 1e9;
        boolean timeUp = maxMinutes > 0 && seconds > maxMinutes * 60;
        boolean last = step == steps || timeUp;
        if (step % logEvery == 0 || last) {
          int n = step % logEvery == 0 ? logEvery : step % logEvery;
          int used = trainer.takeCodesUsed();
          String psnr = "";
          if (step % evalEvery == 0 || last) {
            psnr = String.format("%.2f", heldOutPsnr(trainer, held));
          }
          System.err.printf("step %5d  %6.0fs  loss %.4f  rec mse %.4f (train PSNR %.2f dB)  codes used %d/%d"
              + "  perplexity %.1f  resets %d%s%n", step, seconds, s.loss(), window / n,
              10 * Math.log10(4 / (window / n)), used, cfg.codebookSize(), s.perplexity(), resets,
              psnr.isEmpty() ? "" : "  held-out PSNR " + psnr + " dB");
          log.printf("%d\t%.1f\t%.5f\t%.5f\t%.5f\t%.5f\t%d\t%.2f\t%d\t%d\t%s%n", step, seconds, s.loss(),
              window / n, s.codebook(), s.commitment(), s.codesInBatch(), s.perplexity(), used, resets, psnr);
          log.flush();
          window = 0;
          resets = 0;
          save(cfg, trainer);
        }
        if (timeUp) {
          System.err.printf("train-vq: --max-minutes %.1f reached after step %d%n", maxMinutes, step);
          break;
        }
      }
    }
    System.err.println("train-vq: wrote " + output.resolve("config.json") + " and model.safetensors");
    return 0;
  }

  private void save(VqConfig cfg, VqTrainer trainer) throws java.io.IOException {
    cfg.write(output.resolve("config.json"));
    VqCheckpoint.write(output.resolve("model.safetensors"), trainer.weights(), dtype);
  }

  private double heldOutPsnr(VqTrainer trainer, List<Named> held) {
    if (held.isEmpty()) {
      return Double.NaN;
    }
    var vq = trainer.snapshot();
    double sum = 0;
    for (Named n : held) {
      RgbImage img = VqImageSet.squareCrop(n.image(), evalSize, 0.5, 0.5);
      sum += VqImageSet.psnr(img, org.synergen.vision.vq.VqRoundTrip.reconstruct(vq, img));
    }
    return sum / held.size();
  }

  private INDArray batch(List<RgbImage> images, Random rnd) {
    INDArray out = Nd4j.create(org.nd4j.linalg.api.buffer.DataType.FLOAT, batch, 3, crop, crop);
    for (int i = 0; i < batch; i++) {
      RgbImage src = images.get(rnd.nextInt(images.size()));
      RgbImage c = VqImageSet.cropAt(src, crop, rnd.nextInt(src.height() - crop + 1), rnd.nextInt(src.width() - crop + 1));
      if (rnd.nextBoolean()) {
        c = VqImageSet.flip(c);
      }
      out.get(org.nd4j.linalg.indexing.NDArrayIndex.point(i)).assign(VqImages.toPixels(c));
    }
    return out;
  }
}
