package org.synergen.vision.vq;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Image [batch, 3, H, W] in [-1, 1] -> pre-quantization latents [batch, embed_dim, H/f, W/f]
 * (Emu3's encoder followed by quant_conv).
 */
final class Encoder {
  private Encoder() {}

  static Fmap apply(VqGraph g, VqConfig cfg, Fmap image) {
    Fmap h = Conv.conv2d(g, "encoder.conv_in", image, cfg.ch(), 3, 1, 1);
    int levels = cfg.chMult().length;
    for (int level = 0; level < levels; level++) {
      long width = (long) cfg.ch() * cfg.chMult()[level];
      for (int b = 0; b < cfg.numResBlocks(); b++) {
        h = ResnetBlock.apply(g, "encoder.down." + level + ".block." + b, h, width, null);
        if (cfg.hasAttention(level)) {
          h = AttnBlock.apply(g, "encoder.down." + level + ".attn." + b, h, null);
        }
      }
      if (level != levels - 1) {
        h = Conv.downsample(g, "encoder.down." + level + ".downsample", h);
      }
    }
    h = ResnetBlock.apply(g, "encoder.mid.block_1", h, h.c(), null);
    h = AttnBlock.apply(g, "encoder.mid.attn_1", h, null);
    h = ResnetBlock.apply(g, "encoder.mid.block_2", h, h.c(), null);
    h = Norm.swish(g, Norm.groupNorm(g, "encoder.norm_out", h));
    h = Conv.conv2d(g, "encoder.conv_out", h, cfg.zChannels(), 3, 1, 1);

    // Every frame of the repeated still image gives the same 2-D encoding: compute it once.
    List<Fmap> clip = new ArrayList<>(Collections.nCopies(cfg.temporalDownsampleFactor(), h));
    for (int i = 0; i < cfg.temporalBlocks(); i++) {
      clip = Temporal.downsample(g, "encoder.time_conv." + i, clip);
    }
    for (int i = 0; i < cfg.numResBlocks(); i++) {
      clip = Temporal.resnetBlock(g, "encoder.time_res_stack." + i, clip);
    }
    clip = Conv.causalConv3d(g, "quant_conv.conv", clip, cfg.embedDim(), 3, 1, 1);
    return clip.get(0);
  }
}
