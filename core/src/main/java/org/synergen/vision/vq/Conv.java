package org.synergen.vision.vq;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.factory.Nd4j;
import org.synergen.vision.vq.VqGraph.Init;

/** Convolutions with PyTorch weight layouts ([out, in, kh, kw] and [out, in, kt, kh, kw]). */
final class Conv {
  private Conv() {}

  /** nn.Conv2d(c, cout, k, stride, padding) with bias, weights {@code name.weight}/{@code name.bias}. */
  static Fmap conv2d(VqGraph g, String name, Fmap x, long cout, int k, int stride, int pad) {
    return conv2d(g, name, x, cout, k, stride, pad, Init.CONV);
  }

  /** As above; {@code init} says how a weight missing from the checkpoint starts. */
  static Fmap conv2d(VqGraph g, String name, Fmap x, long cout, int k, int stride, int pad, Init init) {
    SDVariable w = g.param(name + ".weight", init, cout, x.c(), k, k);
    SDVariable b = g.param(name + ".bias", Init.ZERO, cout);
    long h = (x.h() + 2L * pad - k) / stride + 1;
    long wd = (x.w() + 2L * pad - k) / stride + 1;
    return new Fmap(g.sd.cnn().conv2d(x.v(), kernel(w), b, config(k, stride, pad)), cout, h, wd);
  }

  /**
   * PyTorch's [out, in, kh, kw] as libnd4j's default [kh, kw, in, out]. (conv2d accepts an OIYX
   * weights format, but its backward op in M2.1 ignores it and rejects the shape.)
   */
  private static SDVariable kernel(SDVariable torchLayout) {
    return torchLayout.permute(2, 3, 1, 0);
  }

  private static Conv2DConfig config(int k, int stride, int pad) {
    return Conv2DConfig.builder().kH(k).kW(k).sH(stride).sW(stride).pH(pad).pW(pad)
        .dataFormat("NCHW").build();
  }

  /**
   * Emu3's causal Conv3d on a clip held as a list of frames: the time axis gets two zero frames in
   * front (always two, whatever the kernel) and none behind; height and width get "same" padding.
   * Each output frame is the bias plus one 2-D convolution per time tap; taps that land on the zero
   * padding contribute nothing and are skipped.
   *
   * @param name weights {@code name.weight} [cout, cin, kt, k, k] and {@code name.bias}
   */
  static List<Fmap> causalConv3d(VqGraph g, String name, List<Fmap> frames, long cout, int kt, int k,
      int timeStride) {
    long cin = frames.get(0).c();
    SDVariable w = g.param(name + ".weight", Init.CONV, cout, cin, kt, k, k);
    SDVariable b = g.param(name + ".bias", Init.ZERO, cout);
    SDVariable bias = b.reshape(1, cout, 1, 1);
    int pad = (k - 1) / 2;
    int front = 2;
    int outFrames = (frames.size() + front - kt) / timeStride + 1;
    // One [out, in, k, k] kernel per time tap. (unstack, not an indexed slice: the strided-slice
    // backward fails in M2.1.)
    List<SDVariable> taps = new ArrayList<>();
    for (SDVariable tap : g.sd.unstack(w, 2, kt)) {
      taps.add(kernel(tap));
    }
    List<Fmap> out = new ArrayList<>();
    for (int t = 0; t < outFrames; t++) {
      SDVariable sum = bias;
      for (int tap = 0; tap < kt; tap++) {
        int src = t * timeStride + tap - front;
        if (src >= 0) {
          SDVariable term = g.sd.cnn().conv2d(frames.get(src).v(), taps.get(tap), config(k, 1, pad));
          sum = sum == bias ? term.add(bias) : sum.add(term);
        }
      }
      Fmap f = frames.get(0);
      out.add(new Fmap(sum, cout, f.h(), f.w()));
    }
    return out;
  }

  /** F.pad(x, (0, 1, 0, 1)) then a stride-2 3x3 convolution: Emu3's Downsample. */
  static Fmap downsample(VqGraph g, String name, Fmap x) {
    SDVariable padding = g.sd.constant(Nd4j.createFromArray(new int[][] {{0, 0}, {0, 0}, {0, 1}, {0, 1}}));
    Fmap padded = new Fmap(g.sd.nn().pad(x.v(), padding, 0.0), x.c(), x.h() + 1, x.w() + 1);
    return conv2d(g, name + ".conv", padded, x.c(), 3, 2, 0);
  }

  /** Nearest-neighbour 2x then a 3x3 convolution: Emu3's Upsample. */
  static Fmap upsample(VqGraph g, String name, Fmap x) {
    Fmap up = new Fmap(g.sd.cnn().upsampling2d(x.v(), 2, 2, true), x.c(), x.h() * 2, x.w() * 2);
    return conv2d(g, name + ".conv", up, x.c(), 3, 1, 1);
  }
}
