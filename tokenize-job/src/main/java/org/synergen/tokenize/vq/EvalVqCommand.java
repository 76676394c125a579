package org.synergen.tokenize.vq;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.synergen.vision.vq.RgbImage;
import org.synergen.vision.vq.VisionVq;
import org.synergen.vision.vq.VqImageSet;
import org.synergen.vision.vq.VqImageSet.Named;
import org.synergen.vision.vq.VqRoundTrip;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "eval-vq",
    mixinStandardHelpOptions = true,
    description = {
        "Reconstruction quality of a tokenizer: each image is resized (shorter side --size, bicubic),",
        "centre-cropped to a square, encoded to ids, decoded, and compared with PSNR (8-bit RGB, dB).",
        "For scale, the PSNR of a flat image in the input's mean colour is printed beside it.",
        "With --holdout N only the N held-out images that train-vq --holdout N left out are used."})
public final class EvalVqCommand implements Callable<Integer> {

  @Option(names = "--vq", required = true, paramLabel = "DIR", description = "tokenizer folder")
  Path vq;

  @Option(names = "--input", required = true, paramLabel = "SHARDS",
      description = "Parquet image shards or a folder of images")
  Path input;

  @Option(names = "--size", defaultValue = "128", description = "evaluation side, multiple of the spatial factor (default ${DEFAULT-VALUE})")
  int size;

  @Option(names = "--holdout", defaultValue = "0", description = "evaluate only train-vq's held-out split of this size; 0 = all images (default ${DEFAULT-VALUE})")
  int holdout;

  @Override
  public Integer call() throws Exception {
    VisionVq model = VisionVq.load(vq);
    VqImageSet.Loaded loaded = VqImageSet.load(input);
    loaded.skipped().forEach(s -> System.err.println("eval-vq: skipped " + s));
    List<Named> images = holdout == 0 ? loaded.images() : VqImageSet.split(loaded.images(), holdout).get(1);
    System.out.printf("| image | PSNR (dB) at %dx%d | flat mean colour (dB) |%n|---|---|---|%n", size, size);
    double sum = 0;
    double flatSum = 0;
    for (Named n : images) {
      RgbImage img = VqImageSet.squareCrop(n.image(), size, 0.5, 0.5);
      double psnr = VqImageSet.psnr(img, VqRoundTrip.reconstruct(model, img));
      double flat = VqImageSet.psnr(img, VqImageSet.meanColour(img));
      sum += psnr;
      flatSum += flat;
      System.out.printf("| %s | %.2f | %.2f |%n", n.key(), psnr, flat);
    }
    System.out.printf("| **mean of %d** | **%.2f** | %.2f |%n", images.size(), sum / images.size(),
        flatSum / images.size());
    return 0;
  }
}
