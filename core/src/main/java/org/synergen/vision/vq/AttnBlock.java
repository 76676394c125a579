package org.synergen.vision.vq;

import org.nd4j.autodiff.samediff.SDVariable;

/**
 * Single-head self-attention over all h*w positions with 1x1-conv projections and a residual:
 * softmax(q^T k / sqrt(c)) weights the values. Norm as in {@link ResnetBlock}.
 */
final class AttnBlock {
  private AttnBlock() {}

  static Fmap apply(VqGraph g, String name, Fmap x, Fmap zq) {
    Fmap n = Norm.norm(g, name + ".norm", x, zq);
    long c = x.c();
    long positions = x.h() * x.w();
    SDVariable q = Conv.conv2d(g, name + ".q", n, c, 1, 1, 0).v().reshape(g.batch, c, positions);
    SDVariable k = Conv.conv2d(g, name + ".k", n, c, 1, 1, 0).v().reshape(g.batch, c, positions);
    SDVariable v = Conv.conv2d(g, name + ".v", n, c, 1, 1, 0).v().reshape(g.batch, c, positions);
    // score[b, i, j] = q_i . k_j / sqrt(c), normalised over the keys j
    SDVariable score = g.sd.mmul(q, k, true, false, false).mul(1.0 / Math.sqrt(c));
    score = g.sd.nn().softmax(score, 2);
    // out[b, :, i] = sum_j v[b, :, j] score[b, i, j]
    SDVariable attended = g.sd.mmul(v, score, false, true, false).reshape(g.batch, c, x.h(), x.w());
    // zero at the start of training from scratch, like the residual blocks' last convolution
    Fmap out = Conv.conv2d(g, name + ".proj_out", x.with(attended), c, 1, 1, 0, VqGraph.Init.ZERO);
    return x.with(x.v().add(out.v()));
  }
}
