package org.synergen.tokenize.vq;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.synergen.io.Npy;
import org.synergen.vision.vq.VisionVq;
import org.synergen.vision.vq.VqImages;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(
    name = "decode-image",
    mixinStandardHelpOptions = true,
    description = {
        "Decode a grid of VQ ids (int [h, w] .npy) into an image. A .png output is the image as",
        "Emu3 post-processes it (clamped to [-1, 1], scaled to 0..255); a .npy output is the",
        "decoder's raw float32 [3, H, W] before clamping."})
public final class DecodeImageCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = "--vq", required = true, paramLabel = "DIR",
      description = "tokenizer folder: HF config.json + model.safetensors")
  Path vq;

  @Option(names = "--ids", required = true, paramLabel = "FILE", description = "int32/int64 [h, w] .npy")
  Path ids;

  @Option(names = "--out", required = true, paramLabel = "FILE", description = "output .png or .npy")
  Path out;

  @Override
  public Integer call() throws Exception {
    String name = out.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
    boolean npy = name.endsWith(".npy");
    if (!npy && !name.endsWith(".png")) {
      throw new ParameterException(spec.commandLine(), "--out must end in .png or .npy, got " + out);
    }
    INDArray grid = Npy.read(ids);
    if (grid.rank() != 2 || grid.dataType().isFPType()) {
      throw new IllegalArgumentException(ids + ": expected an integer [h, w] id grid, got "
          + grid.dataType() + " " + java.util.Arrays.toString(grid.shape()));
    }
    VisionVq model = VisionVq.load(vq);
    INDArray image = model.decode(grid.reshape(1, grid.size(0), grid.size(1))).get(
        org.nd4j.linalg.indexing.NDArrayIndex.point(0));
    if (npy) {
      Npy.write(out, image.dup('c'));
    } else {
      Files.write(out, VqImages.encodePng(VqImages.fromPixels(image)));
    }
    System.err.printf("decode-image: %s -> %s (%d x %d pixels)%n", ids, out, image.size(1), image.size(2));
    return 0;
  }
}
