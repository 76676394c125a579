package org.synergen.eval.fid.inception;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Pooling2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The mixed blocks of the FID Inception, as pytorch-fid patches torchvision's: each runs parallel
 * branches on the same input and concatenates them along channels, in the order written here.
 * Differences from torchvision's blocks, all kept from TensorFlow's graph: the average pools of A, C
 * and the first E ignore the zero padding in their divisor, and the second E max-pools instead.
 */
final class InceptionBlocks {
  /** One step of the network on an NCHW batch. */
  interface Block {
    INDArray apply(INDArray x);
  }

  private InceptionBlocks() {}

  /** A (Mixed_5b-d): 1x1 | 1x1, 5x5 | 1x1, 3x3, 3x3 | avg pool, 1x1. */
  static Block a(Map<String, INDArray> t, String block) {
    ConvUnit b1x1 = same(t, block, "branch1x1");
    ConvUnit b5x5a = same(t, block, "branch5x5_1");
    ConvUnit b5x5b = same(t, block, "branch5x5_2");
    ConvUnit dbl1 = same(t, block, "branch3x3dbl_1");
    ConvUnit dbl2 = same(t, block, "branch3x3dbl_2");
    ConvUnit dbl3 = same(t, block, "branch3x3dbl_3");
    ConvUnit pool = same(t, block, "branch_pool");
    return x -> concat(b1x1.apply(x), b5x5b.apply(b5x5a.apply(x)), dbl3.apply(dbl2.apply(dbl1.apply(x))),
        pool.apply(avgPoolExcludingPadding(x)));
  }

  /** B (Mixed_6a, grid 35 -> 17): 3x3 stride 2 | 1x1, 3x3, 3x3 stride 2 | max pool stride 2. */
  static Block b(Map<String, INDArray> t, String block) {
    ConvUnit b3x3 = strided(t, block, "branch3x3");
    ConvUnit dbl1 = same(t, block, "branch3x3dbl_1");
    ConvUnit dbl2 = same(t, block, "branch3x3dbl_2");
    ConvUnit dbl3 = strided(t, block, "branch3x3dbl_3");
    return x -> concat(b3x3.apply(x), dbl3.apply(dbl2.apply(dbl1.apply(x))), maxPool3x3Stride2(x));
  }

  /** C (Mixed_6b-e): 1x1 | 1x1, 1x7, 7x1 | 1x1, 7x1, 1x7, 7x1, 1x7 | avg pool, 1x1. */
  static Block c(Map<String, INDArray> t, String block) {
    ConvUnit b1x1 = same(t, block, "branch1x1");
    ConvUnit[] b7x7 = {same(t, block, "branch7x7_1"), same(t, block, "branch7x7_2"), same(t, block, "branch7x7_3")};
    ConvUnit[] dbl = {same(t, block, "branch7x7dbl_1"), same(t, block, "branch7x7dbl_2"),
        same(t, block, "branch7x7dbl_3"), same(t, block, "branch7x7dbl_4"), same(t, block, "branch7x7dbl_5")};
    ConvUnit pool = same(t, block, "branch_pool");
    return x -> concat(b1x1.apply(x), chain(b7x7, x), chain(dbl, x), pool.apply(avgPoolExcludingPadding(x)));
  }

  /** D (Mixed_7a, grid 17 -> 8): 1x1, 3x3 stride 2 | 1x1, 1x7, 7x1, 3x3 stride 2 | max pool stride 2. */
  static Block d(Map<String, INDArray> t, String block) {
    ConvUnit[] b3x3 = {same(t, block, "branch3x3_1"), strided(t, block, "branch3x3_2")};
    ConvUnit[] b7x7x3 = {same(t, block, "branch7x7x3_1"), same(t, block, "branch7x7x3_2"),
        same(t, block, "branch7x7x3_3"), strided(t, block, "branch7x7x3_4")};
    return x -> concat(chain(b3x3, x), chain(b7x7x3, x), maxPool3x3Stride2(x));
  }

  /**
   * E (Mixed_7b, Mixed_7c): 1x1 | 1x1, then 1x3 and 3x1 side by side | 1x1, 3x3, then 1x3 and 3x1
   * side by side | pool, 1x1. The pool is the padding-excluding average in Mixed_7b and a max pool
   * in Mixed_7c ({@code maxPool}): pytorch-fid's FIDInceptionE_1 and FIDInceptionE_2.
   */
  static Block e(Map<String, INDArray> t, String block, boolean maxPool) {
    ConvUnit b1x1 = same(t, block, "branch1x1");
    ConvUnit b3x3 = same(t, block, "branch3x3_1");
    ConvUnit b3x3a = same(t, block, "branch3x3_2a");
    ConvUnit b3x3b = same(t, block, "branch3x3_2b");
    ConvUnit dbl1 = same(t, block, "branch3x3dbl_1");
    ConvUnit dbl2 = same(t, block, "branch3x3dbl_2");
    ConvUnit dbl3a = same(t, block, "branch3x3dbl_3a");
    ConvUnit dbl3b = same(t, block, "branch3x3dbl_3b");
    ConvUnit pool = same(t, block, "branch_pool");
    return x -> {
      INDArray split = b3x3.apply(x);
      INDArray splitDbl = dbl2.apply(dbl1.apply(x));
      INDArray pooled = maxPool ? maxPool3x3Same(x) : avgPoolExcludingPadding(x);
      return concat(b1x1.apply(x), b3x3a.apply(split), b3x3b.apply(split), dbl3a.apply(splitDbl),
          dbl3b.apply(splitDbl), pool.apply(pooled));
    };
  }

  /** Stride 1, padded to keep the grid size (every 1x1, 1xn, nx1 and inner 3x3/5x5 of the blocks). */
  static ConvUnit same(Map<String, INDArray> t, String block, String branch) {
    return ConvUnit.load(t, block + "." + branch, 1, true);
  }

  /** Stride 2, no padding: the grid reductions. */
  private static ConvUnit strided(Map<String, INDArray> t, String block, String branch) {
    return ConvUnit.load(t, block + "." + branch, 2, false);
  }

  private static INDArray chain(ConvUnit[] convs, INDArray x) {
    for (ConvUnit c : convs) {
      x = c.apply(x);
    }
    return x;
  }

  private static INDArray concat(INDArray... branches) {
    return Nd4j.concat(1, branches);
  }

  static INDArray maxPool3x3Stride2(INDArray x) {
    return Nd4j.cnn().maxPooling2d(x, pool(Pooling2D.Pooling2DType.MAX, 2, 0));
  }

  private static INDArray maxPool3x3Same(INDArray x) {
    return Nd4j.cnn().maxPooling2d(x, pool(Pooling2D.Pooling2DType.MAX, 1, 1));
  }

  /** TensorFlow's 3x3 "SAME" average: the divisor counts only the pixels inside the image. */
  private static INDArray avgPoolExcludingPadding(INDArray x) {
    return Nd4j.cnn().avgPooling2d(x, pool(Pooling2D.Pooling2DType.AVG, 1, 1));
  }

  /**
   * 3x3 pooling. ND4J 1.0.0-M2.1's avg pool ignores the config's {@code divisor}: the divisor is
   * chosen by {@code extra}, 0 = count only pixels inside the image (as TensorFlow), 1 = all nine.
   */
  private static Pooling2DConfig pool(Pooling2D.Pooling2DType type, int stride, int padding) {
    return Pooling2DConfig.builder().kH(3).kW(3).sH(stride).sW(stride).pH(padding).pW(padding).dH(1).dW(1)
        .type(type).extra(0).paddingMode(PaddingMode.VALID).isNHWC(false).build();
  }
}
