package org.synergen.eval.fid.inception;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * torchvision's BasicConv2d at inference: convolution without bias, batch norm with its running
 * statistics (eps 0.001), ReLU. The batch norm is folded into the convolution once, at load:
 * W' = W * gamma / sqrt(var + eps) per output channel, b' = beta - mean * gamma / sqrt(var + eps).
 * Kernel size and channel counts come from the weight tensor; stride and padding are the
 * architecture's and are given by the caller.
 */
final class ConvUnit {
  private static final double BN_EPS = 0.001;

  private final String name;
  private final INDArray weight;  // [kH, kW, in, out]: ND4J's native layout, so no per-call permute
  private final INDArray bias;    // [out]
  private final Conv2DConfig config;

  private ConvUnit(String name, INDArray weight, INDArray bias, Conv2DConfig config) {
    this.name = name;
    this.weight = weight;
    this.bias = bias;
    this.config = config;
  }

  /**
   * @param padded pad by (k - 1) / 2 on each axis (the stride-1 "same" convolutions); otherwise no padding
   */
  static ConvUnit load(Map<String, INDArray> tensors, String name, int stride, boolean padded) {
    INDArray w = InceptionWeights.tensor(tensors, name + ".conv.weight", 4);
    long out = w.size(0);
    INDArray gamma = InceptionWeights.vector(tensors, name + ".bn.weight", out);
    INDArray beta = InceptionWeights.vector(tensors, name + ".bn.bias", out);
    INDArray mean = InceptionWeights.vector(tensors, name + ".bn.running_mean", out);
    INDArray var = InceptionWeights.vector(tensors, name + ".bn.running_var", out);
    INDArray scale = gamma.div(Transforms.sqrt(var.add(BN_EPS), false));
    INDArray folded = w.mul(scale.reshape(out, 1, 1, 1));
    INDArray bias = beta.sub(mean.mul(scale));
    int kH = (int) w.size(2);
    int kW = (int) w.size(3);
    Conv2DConfig config = Conv2DConfig.builder()
        .kH(kH).kW(kW).sH(stride).sW(stride)
        .pH(padded ? (kH - 1) / 2 : 0).pW(padded ? (kW - 1) / 2 : 0).dH(1).dW(1)
        .paddingMode(PaddingMode.VALID).dataFormat(Conv2DConfig.NCHW).weightsFormat(WeightsFormat.YXIO)
        .build();
    return new ConvUnit(name, folded.permute(2, 3, 1, 0).dup('c'), bias, config);
  }

  /** [N, in, H, W] -> [N, out, H', W']. */
  INDArray apply(INDArray x) {
    if (x.size(1) != weight.size(2)) {
      throw new IllegalStateException(name + ".conv.weight expects " + weight.size(2) + " input channels, but "
          + "the layer before gives " + x.size(1) + ": the file's tensor shapes do not fit the FID Inception");
    }
    return Transforms.relu(Nd4j.cnn().conv2d(x, weight, bias, config), false);
  }
}
