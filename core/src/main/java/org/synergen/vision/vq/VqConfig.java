package org.synergen.vision.vq;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Shapes of an Emu3 vision tokenizer (MoVQGAN family), read from and written as the HF
 * {@code config.json} of {@code BAAI/Emu3-VisionTokenizer} (model_type {@code Emu3VisionVQ}).
 *
 * @param codebookSize             codebook entries (ids run 0 .. codebookSize-1)
 * @param embedDim                 width of one codebook vector
 * @param zChannels                encoder output / decoder input channels
 * @param inChannels               image channels in (3)
 * @param outChannels              image channels out (3)
 * @param temporalDownsampleFactor frames folded into one latent frame; a still image is repeated
 *                                 this many times, as Emu3 does
 * @param ch                       base width of the 2-D blocks
 * @param chMult                   width multiplier per resolution level; levels - 1 halvings
 * @param numResBlocks             residual blocks per level (decoder: one more)
 * @param attnResolutions          level indices that carry attention after each residual block
 */
public record VqConfig(
    int codebookSize,
    int embedDim,
    int zChannels,
    int inChannels,
    int outChannels,
    int temporalDownsampleFactor,
    int ch,
    int[] chMult,
    int numResBlocks,
    int[] attnResolutions) {

  /** GroupNorm groups everywhere in the 2-D blocks (fixed in Emu3's code, not in config.json). */
  public static final int GROUPS = 32;

  public VqConfig {
    if (embedDim != zChannels) {
      // The decoder runs z and the quantized latents through one temporal stack side by side.
      throw new IllegalArgumentException(
          "config.json: embed_dim (" + embedDim + ") must equal z_channels (" + zChannels + ")");
    }
    if (Integer.bitCount(temporalDownsampleFactor) != 1) {
      throw new IllegalArgumentException(
          "config.json: temporal_downsample_factor must be a power of two, got " + temporalDownsampleFactor);
    }
    if (chMult.length == 0 || codebookSize < 2 || numResBlocks < 1) {
      throw new IllegalArgumentException("config.json: ch_mult must be non-empty, codebook_size >= 2,"
          + " num_res_blocks >= 1");
    }
    for (int m : chMult) {
      if ((ch * m) % GROUPS != 0) {
        throw new IllegalArgumentException("config.json: every level width ch * ch_mult[i] must be a"
            + " multiple of " + GROUPS + " (GroupNorm groups); got " + ch + " * " + m);
      }
    }
  }

  /** Pixels per latent cell along each side: 2^(levels - 1) (8 for Emu3). */
  public int spatialFactor() {
    return 1 << (chMult.length - 1);
  }

  /** Temporal down- (encoder) or up- (decoder) sampling blocks: log2 of the factor. */
  public int temporalBlocks() {
    return Integer.numberOfTrailingZeros(temporalDownsampleFactor);
  }

  public boolean hasAttention(int level) {
    return Arrays.stream(attnResolutions).anyMatch(l -> l == level);
  }

  /** Emu3's published tokenizer (the defaults of Emu3VisionVQConfig). */
  public static VqConfig emu3() {
    return new VqConfig(32768, 4, 4, 3, 3, 4, 256, new int[] {1, 2, 2, 4}, 2, new int[] {3});
  }

  /**
   * The self-trained default (ours): Emu3's architecture at downsampling factor 4 (three levels of
   * 32, 32 and 64 channels; a 128-pixel tile gives a 32x32 grid), one residual block per level,
   * attention only in the middle blocks, temporal factor 1 (a still image needs no temporal
   * folding; the temporal residual stacks remain), and 1024 codes of width 4. Small enough that
   * train-vq fits a usable tokenizer on two CPU cores within an hour.
   */
  public static VqConfig tiny() {
    return new VqConfig(1024, 4, 4, 3, 3, 1, 32, new int[] {1, 1, 2}, 1, new int[] {});
  }

  public static VqConfig read(Path configJson) throws IOException {
    if (!Files.isRegularFile(configJson)) {
      throw new IOException(configJson + ": not found (a VQ model folder holds config.json + model.safetensors)");
    }
    JsonNode n = new ObjectMapper().readTree(configJson.toFile());
    if (n.path("double_z").asBoolean(false)) {
      throw new IllegalArgumentException(configJson + ": double_z = true is not supported (Emu3 uses false)");
    }
    VqConfig d = emu3();
    return new VqConfig(
        n.path("codebook_size").asInt(d.codebookSize),
        n.path("embed_dim").asInt(d.embedDim),
        n.path("z_channels").asInt(d.zChannels),
        n.path("in_channels").asInt(d.inChannels),
        n.path("out_channels").asInt(d.outChannels),
        n.path("temporal_downsample_factor").asInt(d.temporalDownsampleFactor),
        n.path("ch").asInt(d.ch),
        ints(n.get("ch_mult"), d.chMult),
        n.path("num_res_blocks").asInt(d.numResBlocks),
        ints(n.get("attn_resolutions"), d.attnResolutions));
  }

  public void write(Path configJson) throws IOException {
    ObjectMapper m = new ObjectMapper();
    ObjectNode n = m.createObjectNode();
    n.put("model_type", "Emu3VisionVQ");
    n.put("codebook_size", codebookSize);
    n.put("embed_dim", embedDim);
    n.put("z_channels", zChannels);
    n.put("double_z", false);
    n.put("in_channels", inChannels);
    n.put("out_channels", outChannels);
    n.put("temporal_downsample_factor", temporalDownsampleFactor);
    n.put("ch", ch);
    Arrays.stream(chMult).forEach(n.putArray("ch_mult")::add);
    n.put("num_res_blocks", numResBlocks);
    Arrays.stream(attnResolutions).forEach(n.putArray("attn_resolutions")::add);
    n.put("dropout", 0.0);
    m.writerWithDefaultPrettyPrinter().writeValue(configJson.toFile(), n);
  }

  private static int[] ints(JsonNode array, int[] fallback) {
    if (array == null || array.isNull()) {
      return fallback;
    }
    int[] out = new int[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).asInt();
    }
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof VqConfig c && toString().equals(c.toString());
  }

  @Override
  public int hashCode() {
    return toString().hashCode();
  }

  @Override
  public String toString() {
    return "VqConfig[codebook=" + codebookSize + ", embedDim=" + embedDim + ", z=" + zChannels
        + ", in=" + inChannels + ", out=" + outChannels + ", temporal=" + temporalDownsampleFactor
        + ", ch=" + ch + ", chMult=" + Arrays.toString(chMult) + ", resBlocks=" + numResBlocks
        + ", attn=" + Arrays.toString(attnResolutions) + "]";
  }
}
