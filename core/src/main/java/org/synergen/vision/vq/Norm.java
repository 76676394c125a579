package org.synergen.vision.vq;

import org.nd4j.autodiff.samediff.SDVariable;
import org.synergen.vision.vq.VqGraph.Init;

/** The three normalisations of the tokenizer. */
final class Norm {
  private Norm() {}

  /** nn.GroupNorm(32 groups, eps 1e-6, affine): statistics per sample over each group of channels. */
  static Fmap groupNorm(VqGraph g, String name, Fmap x) {
    long c = x.c();
    SDVariable grouped = x.v().reshape(g.batch, VqConfig.GROUPS, -1);
    SDVariable centred = grouped.sub(grouped.mean(true, 2));
    SDVariable var = centred.mul(centred).mean(true, 2);
    SDVariable normed = centred.mul(g.sd.math().rsqrt(var.add(1e-6)))
        .reshape(g.batch, c, x.h(), x.w());
    SDVariable weight = g.param(name + ".weight", Init.ONE, c).reshape(1, c, 1, 1);
    SDVariable bias = g.param(name + ".bias", Init.ZERO, c).reshape(1, c, 1, 1);
    return x.with(normed.mul(weight).add(bias));
  }

  /**
   * MoVQ's spatial norm (decoder only): group norm whose scale and shift are 1x1 convolutions of
   * the quantized latents, brought to this resolution by nearest-neighbour upsampling.
   */
  static Fmap spatialNorm(VqGraph g, String name, Fmap x, Fmap zq) {
    long factor = x.h() / zq.h();
    if (factor * zq.h() != x.h() || factor * zq.w() != x.w()) {
      throw new IllegalStateException("zq " + zq.h() + "x" + zq.w() + " does not divide " + x.h() + "x" + x.w());
    }
    Fmap z = factor == 1 ? zq
        : new Fmap(g.sd.cnn().upsampling2d(zq.v(), (int) factor, (int) factor, true), zq.c(), x.h(), x.w());
    Fmap normed = groupNorm(g, name + ".norm_layer", x);
    Fmap scale = Conv.conv2d(g, name + ".conv_y", z, x.c(), 1, 1, 0);
    Fmap shift = Conv.conv2d(g, name + ".conv_b", z, x.c(), 1, 1, 0);
    return x.with(normed.v().mul(scale.v()).add(shift.v()));
  }

  /** Group norm in the encoder, spatial norm in the decoder (where {@code zq} is given). */
  static Fmap norm(VqGraph g, String name, Fmap x, Fmap zq) {
    return zq == null ? groupNorm(g, name, x) : spatialNorm(g, name, x, zq);
  }

  /**
   * nn.BatchNorm3d in eval mode (running statistics, eps 1e-5) on one frame. Training here keeps
   * the statistics fixed too, so the block trains as a per-channel affine map.
   */
  static Fmap frozenBatchNorm(VqGraph g, String name, Fmap x) {
    long c = x.c();
    SDVariable mean = g.fixed(name + ".running_mean", Init.ZERO, c).reshape(1, c, 1, 1);
    SDVariable var = g.fixed(name + ".running_var", Init.ONE, c).reshape(1, c, 1, 1);
    SDVariable weight = g.param(name + ".weight", Init.ONE, c).reshape(1, c, 1, 1);
    SDVariable bias = g.param(name + ".bias", Init.ZERO, c).reshape(1, c, 1, 1);
    SDVariable scale = weight.mul(g.sd.math().rsqrt(var.add(1e-5)));
    return x.with(x.v().sub(mean).mul(scale).add(bias));
  }

  /**
   * Swish, x * sigmoid(x), written out: M2.1's own swish op has a backward that overflows to NaN
   * for inputs above about 44 (it squares exp(x)), which a trained decoder reaches.
   */
  static Fmap swish(VqGraph g, Fmap x) {
    return x.with(x.v().mul(g.sd.nn().sigmoid(x.v())));
  }
}
