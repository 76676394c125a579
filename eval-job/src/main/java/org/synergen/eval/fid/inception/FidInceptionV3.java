package org.synergen.eval.fid.inception;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.synergen.eval.data.EvalInputException;
import org.synergen.eval.fid.FeatureExtractor;
import org.synergen.eval.fid.ImageResize;

/**
 * The Inception-v3 of FID (pytorch-fid's InceptionV3 with its FID blocks, output block 3): pool3
 * features, 2048-d with the real weights. Inference only, in float32 on ND4J.
 *
 * <p>Per image: resize to 299 x 299 (bilinear as pytorch-fid, or bicubic as clean-fid), scale
 * 0-255 to [-1, 1] (pytorch-fid's normalize_input: 2 * x / 255 - 1), then the stem (five
 * convolutions, two 3x3 stride-2 max pools), the eleven mixed blocks and a global average pool.
 * Channel widths and kernel sizes are read from the weight shapes, so a narrowed copy of the same
 * network (as the tests use) runs through the same code.
 */
public final class FidInceptionV3 implements FeatureExtractor {
  public static final int INPUT_SIZE = 299;

  private final Path file;
  private final ImageResize resize;
  private final List<InceptionBlocks.Block> layers;
  private final int dimension;

  private FidInceptionV3(Path file, ImageResize resize, List<InceptionBlocks.Block> layers, int dimension) {
    this.file = file;
    this.resize = resize;
    this.layers = layers;
    this.dimension = dimension;
  }

  /** Loads the safetensors file written by scripts/reference/export_fid_inception.py. */
  public static FidInceptionV3 load(Path file, ImageResize resize) {
    Map<String, INDArray> t = InceptionWeights.read(file);
    List<InceptionBlocks.Block> layers = new ArrayList<>();
    try {
      ConvUnit conv1a = ConvUnit.load(t, "Conv2d_1a_3x3", 2, false);
      ConvUnit conv2a = ConvUnit.load(t, "Conv2d_2a_3x3", 1, false);
      ConvUnit conv2b = ConvUnit.load(t, "Conv2d_2b_3x3", 1, true);
      ConvUnit conv3b = ConvUnit.load(t, "Conv2d_3b_1x1", 1, false);
      ConvUnit conv4a = ConvUnit.load(t, "Conv2d_4a_3x3", 1, false);
      layers.add(x -> InceptionBlocks.maxPool3x3Stride2(conv2b.apply(conv2a.apply(conv1a.apply(x)))));
      layers.add(x -> InceptionBlocks.maxPool3x3Stride2(conv4a.apply(conv3b.apply(x))));
      for (String block : List.of("Mixed_5b", "Mixed_5c", "Mixed_5d")) {
        layers.add(InceptionBlocks.a(t, block));
      }
      layers.add(InceptionBlocks.b(t, "Mixed_6a"));
      for (String block : List.of("Mixed_6b", "Mixed_6c", "Mixed_6d", "Mixed_6e")) {
        layers.add(InceptionBlocks.c(t, block));
      }
      layers.add(InceptionBlocks.d(t, "Mixed_7a"));
      layers.add(InceptionBlocks.e(t, "Mixed_7b", false));
      layers.add(InceptionBlocks.e(t, "Mixed_7c", true));
      // the four branches of Mixed_7c make the feature vector
      long dimension = 0;
      for (String branch : List.of("branch1x1", "branch3x3_2a", "branch3x3_2b", "branch3x3dbl_3a",
          "branch3x3dbl_3b", "branch_pool")) {
        dimension += InceptionWeights.tensor(t, "Mixed_7c." + branch + ".conv.weight", 4).size(0);
      }
      return new FidInceptionV3(file, resize, layers, Math.toIntExact(dimension));
    } catch (IllegalArgumentException e) {
      throw new EvalInputException(file, e.getMessage());
    }
  }

  @Override
  public int dimension() {
    return dimension;
  }

  public ImageResize resize() {
    return resize;
  }

  @Override
  public List<float[]> features(List<float[][][]> images) {
    if (images.isEmpty()) {
      return List.of();
    }
    INDArray x = input(images);
    try {
      for (InceptionBlocks.Block layer : layers) {
        x = layer.apply(x);
      }
    } catch (IllegalStateException e) {
      throw new EvalInputException(file, e.getMessage());
    }
    float[][] pooled = x.mean(2, 3).toFloatMatrix();  // adaptive average pool to 1 x 1
    return List.of(pooled);
  }

  /** Resized, [-1, 1]-scaled NCHW batch. */
  private INDArray input(List<float[][][]> images) {
    int plane = INPUT_SIZE * INPUT_SIZE;
    float[] data = new float[images.size() * 3 * plane];
    for (int n = 0; n < images.size(); n++) {
      float[][][] img = resize.resize(images.get(n), INPUT_SIZE, INPUT_SIZE);
      for (int y = 0; y < INPUT_SIZE; y++) {
        for (int x = 0; x < INPUT_SIZE; x++) {
          for (int c = 0; c < 3; c++) {
            data[(n * 3 + c) * plane + y * INPUT_SIZE + x] = 2 * (img[y][x][c] / 255f) - 1;
          }
        }
      }
    }
    return Nd4j.create(data, new long[] {images.size(), 3, INPUT_SIZE, INPUT_SIZE}, DataType.FLOAT);
  }
}
