package org.synergen.model.decode;

/**
 * Image sampling settings. Defaults are those of Emu3's image generation (its
 * {@code image_generation.py}: classifier_free_guidance 3.0, top_k 2048, do_sample with
 * transformers' default temperature 1.0 and no top-p); the SynerGen-VL paper states none.
 * A top-k above the codebook size keeps every id (the cap is implicit).
 *
 * @param scale the CFG scale g; 1 = no guidance
 */
public record Guidance(double scale, Sampling sampling) {
  public static final double DEFAULT_SCALE = 3.0;
  public static final int DEFAULT_TOP_K = 2048;
  public static final Guidance EMU3 = new Guidance(DEFAULT_SCALE, new Sampling(1.0, DEFAULT_TOP_K, 1.0));

  public Guidance {
    if (!(scale >= 0) || Double.isInfinite(scale)) {
      throw new IllegalArgumentException("CFG scale must be a finite number >= 0, got " + scale);
    }
  }
}
