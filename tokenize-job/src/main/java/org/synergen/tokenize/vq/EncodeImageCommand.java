package org.synergen.tokenize.vq;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.synergen.io.Npy;
import org.synergen.vision.vq.RgbImage;
import org.synergen.vision.vq.VisionVq;
import org.synergen.vision.vq.VqImages;
import org.synergen.vision.vq.VqPreprocessor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "encode-image",
    mixinStandardHelpOptions = true,
    description = {
        "Encode one image into its grid of VQ codebook ids, written as an int64 [h, w] .npy.",
        "An image whose sides are both multiples of the tokenizer's downsampling factor is encoded",
        "at its own size (pixels scaled to [-1, 1], no resize); any other image is first resized",
        "as Emu3's image processor does (smart resize, bicubic), which is reported on stderr."})
public final class EncodeImageCommand implements Callable<Integer> {

  @Option(names = "--vq", required = true, paramLabel = "DIR",
      description = "tokenizer folder: HF config.json + model.safetensors (Emu3-VisionTokenizer layout)")
  Path vq;

  @Option(names = "--image", required = true, paramLabel = "FILE", description = "PNG, JPEG, BMP or GIF")
  Path image;

  @Option(names = "--out", required = true, paramLabel = "FILE", description = "ids .npy to write")
  Path out;

  @Override
  public Integer call() throws Exception {
    VisionVq model = VisionVq.load(vq);
    RgbImage img = VqImages.read(image);
    int f = model.config().spatialFactor();
    INDArray pixels;
    if (img.height() % f == 0 && img.width() % f == 0) {
      pixels = VqImages.toPixels(img);
    } else {
      VqPreprocessor p = VqPreprocessor.forModel(vq, f);
      pixels = p.pixels(img);
      System.err.printf("encode-image: %dx%d is not a multiple of %d; resized to %dx%d (Emu3 smart resize,"
          + " bicubic)%n", img.height(), img.width(), f, pixels.size(1), pixels.size(2));
    }
    INDArray ids = model.encode(pixels.reshape(1, 3, pixels.size(1), pixels.size(2)));
    Npy.write(out, ids.reshape(ids.size(1), ids.size(2)));
    System.err.printf("encode-image: %s -> %s: %d x %d ids%n", image, out, ids.size(1), ids.size(2));
    return 0;
  }
}
