package org.synergen.vision.vq;

/**
 * Emu3's 2-D residual block: norm, swish, 3x3 conv, norm, swish, 3x3 conv, plus the input (through
 * a 1x1 "nin_shortcut" when the width changes). In the decoder both norms are spatial norms
 * conditioned on the quantized latents {@code zq}; in the encoder {@code zq} is null.
 *
 * <p>Trained from scratch, the last convolution starts at zero (not Emu3's Kaiming init), so every
 * block starts as the identity: with Kaiming init each of the decoder's blocks roughly doubles the
 * signal, and a fresh tokenizer's output overshot [-1, 1] by ~50x in mean square, which took
 * hundreds of steps to unlearn. (As in the residual blocks of diffusion U-Nets.)
 */
final class ResnetBlock {
  private ResnetBlock() {}

  static Fmap apply(VqGraph g, String name, Fmap x, long cout, Fmap zq) {
    Fmap h = Norm.swish(g, Norm.norm(g, name + ".norm1", x, zq));
    h = Conv.conv2d(g, name + ".conv1", h, cout, 3, 1, 1);
    h = Norm.swish(g, Norm.norm(g, name + ".norm2", h, zq));
    h = Conv.conv2d(g, name + ".conv2", h, cout, 3, 1, 1, VqGraph.Init.ZERO);
    Fmap skip = x.c() == cout ? x : Conv.conv2d(g, name + ".nin_shortcut", x, cout, 1, 1, 0);
    return h.with(skip.v().add(h.v()));
  }
}
