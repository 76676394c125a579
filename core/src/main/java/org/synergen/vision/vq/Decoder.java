package org.synergen.vision.vq;

import java.util.List;

/**
 * Quantized latents [batch, embed_dim, h, w] -> image [batch, 3, h*f, w*f] (Emu3's post_quant_conv
 * followed by its decoder), before clamping.
 */
final class Decoder {
  private Decoder() {}

  static Fmap apply(VqGraph g, VqConfig cfg, Fmap quant) {
    Fmap z = Conv.causalConv3d(g, "post_quant_conv.conv", List.of(quant), cfg.zChannels(), 3, 1, 1).get(0);
    // Emu3 runs z and the conditioning zq through the same temporal stack (batched together).
    Fmap h = unfoldTime(g, cfg, z);
    Fmap zq = unfoldTime(g, cfg, quant);

    int levels = cfg.chMult().length;
    h = Conv.conv2d(g, "decoder.conv_in", h, (long) cfg.ch() * cfg.chMult()[levels - 1], 3, 1, 1);
    h = ResnetBlock.apply(g, "decoder.mid.block_1", h, h.c(), zq);
    h = AttnBlock.apply(g, "decoder.mid.attn_1", h, zq);
    h = ResnetBlock.apply(g, "decoder.mid.block_2", h, h.c(), zq);
    for (int level = levels - 1; level >= 0; level--) {
      long width = (long) cfg.ch() * cfg.chMult()[level];
      for (int b = 0; b <= cfg.numResBlocks(); b++) {
        h = ResnetBlock.apply(g, "decoder.up." + level + ".block." + b, h, width, zq);
        if (cfg.hasAttention(level)) {
          h = AttnBlock.apply(g, "decoder.up." + level + ".attn." + b, h, zq);
        }
      }
      if (level != 0) {
        h = Conv.upsample(g, "decoder.up." + level + ".upsample", h);
      }
    }
    h = Norm.swish(g, Norm.spatialNorm(g, "decoder.norm_out", h, zq));
    return Conv.conv2d(g, "decoder.conv_out", h, cfg.outChannels(), 3, 1, 1);
  }

  /**
   * The temporal residual stack and upsampling blocks on one latent frame; returns the first frame
   * of the unfolded clip, the one that decodes to the still image (the convolutions are causal, so
   * it depends on nothing later).
   */
  private static Fmap unfoldTime(VqGraph g, VqConfig cfg, Fmap frame) {
    List<Fmap> clip = List.of(frame);
    for (int i = 0; i < cfg.numResBlocks(); i++) {
      clip = Temporal.resnetBlock(g, "decoder.time_res_stack." + i, clip);
    }
    for (int i = 0; i < cfg.temporalBlocks(); i++) {
      clip = Temporal.upsample(g, "decoder.time_conv." + i, clip);
    }
    return clip.get(0);
  }
}
