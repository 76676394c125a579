package org.synergen.vision.vq;

import java.util.ArrayList;
import java.util.List;

/**
 * Emu3's temporal blocks, which run on the latent clip (a list of frames). For a still image the
 * clip is the image repeated {@code temporal_downsample_factor} times; the encoder folds it into one
 * latent frame and the decoder unfolds one latent frame into that many, of which the image is the
 * first.
 */
final class Temporal {
  private Temporal() {}

  /** Residual block of frozen BatchNorm3d, swish and causal 3x3x3 convolutions. */
  static List<Fmap> resnetBlock(VqGraph g, String name, List<Fmap> x) {
    long c = x.get(0).c();
    List<Fmap> h = new ArrayList<>();
    for (Fmap f : x) {
      h.add(Norm.swish(g, Norm.frozenBatchNorm(g, name + ".norm1", f)));
    }
    h = Conv.causalConv3d(g, name + ".conv1.conv", h, c, 3, 3, 1);
    List<Fmap> h2 = new ArrayList<>();
    for (Fmap f : h) {
      h2.add(Norm.swish(g, Norm.frozenBatchNorm(g, name + ".norm2", f)));
    }
    h2 = Conv.causalConv3d(g, name + ".conv2.conv", h2, c, 3, 3, 1);
    List<Fmap> out = new ArrayList<>();
    for (int t = 0; t < x.size(); t++) {
      out.add(x.get(t).with(x.get(t).v().add(h2.get(t).v())));
    }
    return out;
  }

  /** Halves the frame count: causal conv with a 4-frame kernel and time stride 2, then swish. */
  static List<Fmap> downsample(VqGraph g, String name, List<Fmap> x) {
    List<Fmap> h = Conv.causalConv3d(g, name + ".conv.conv", x, x.get(0).c(), 4, 3, 2);
    h.replaceAll(f -> Norm.swish(g, f));
    return h;
  }

  /** Doubles the frame count: each frame repeated (nearest), a causal 3x3x3 conv, then swish. */
  static List<Fmap> upsample(VqGraph g, String name, List<Fmap> x) {
    List<Fmap> repeated = new ArrayList<>();
    for (Fmap f : x) {
      repeated.add(f);
      repeated.add(f);
    }
    List<Fmap> h = Conv.causalConv3d(g, name + ".conv.conv", repeated, x.get(0).c(), 3, 3, 1);
    h.replaceAll(f -> Norm.swish(g, f));
    return h;
  }
}
