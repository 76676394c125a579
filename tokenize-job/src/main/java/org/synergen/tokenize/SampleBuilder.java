package org.synergen.tokenize;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.synergen.data.ImageShard;
import org.synergen.data.ImageShardRow;
import org.synergen.data.TokenShard;
import org.synergen.data.TokenShardRow;
import org.synergen.text.ChatTemplate;
import org.synergen.text.TokenSequence;
import org.synergen.vision.vq.ImageIds;
import org.synergen.vision.vq.RgbImage;
import org.synergen.vision.vq.VqImages;

/**
 * Image-shard rows -> training samples (docs/model.md "Sequences"). Per successful image:
 * <ul>
 *   <li>{@code und}: the image cut into tiles by the stage's dynamic resolution, each tile
 *       VQ-encoded; {@code rows*cols/(m*n)} placeholders per tile; the caption prompt, the
 *       caption as the answer (text loss on it);</li>
 *   <li>{@code gen}: ONE id grid of the whole image resized to {@code genSize} squared (the paper
 *       generates single square images; generation is never tiled); the caption, or for a
 *       deterministic share of keys the unconditional prompt; loss on the image ids.</li>
 * </ul>
 * A row that failed in ingest gives one failure row per task with ingest's status and message; a
 * row whose image cannot be decoded or tokenized gives failure rows with status
 * {@link TokenShard#FAILED_TO_TOKENIZE}. Nothing is dropped.
 */
final class SampleBuilder {
  private final TokenizeSettings settings;
  private final SampleParts parts;
  private final ImageIds encoder;
  private final ChatTemplate template;

  /** One output row, and whether it is an unconditional generation sample (for the stats). */
  record Sample(TokenShardRow row, boolean unconditional) {}

  SampleBuilder(TokenizeSettings settings, ImageIds encoder, ChatTemplate template,
      String textIdentity, String vqIdentity) {
    this.settings = settings;
    this.parts = new SampleParts(settings, textIdentity, vqIdentity);
    this.encoder = encoder;
    this.template = template;
  }

  /** The images of one successful row, before encoding. */
  private record Plan(ImageShardRow row, List<RgbImage> tiles, RgbImage generation) {}

  /** The samples of {@code rows}, in row order, tasks in the configured order. */
  List<Sample> build(List<ImageShardRow> rows) {
    Map<Integer, Plan> plans = new LinkedHashMap<>();
    Map<Integer, String> failures = new LinkedHashMap<>();
    for (int i = 0; i < rows.size(); i++) {
      ImageShardRow r = rows.get(i);
      if (!ImageShard.SUCCESS.equals(r.status())) {
        continue;
      }
      try {
        plans.put(i, plan(r));
      } catch (Exception e) { // a broken image must not sink its shard: the row records why
        failures.put(i, message(e));
      }
    }
    // Encode every image of the chunk, batched by size; a generation image equal to a tile
    // (stage 1's one tile, or a thumbnail, at genSize == tileSize) reuses that tile's ids.
    List<RgbImage> tileImages = new ArrayList<>();
    List<RgbImage> genImages = new ArrayList<>();
    Map<Integer, Integer> genIndex = new LinkedHashMap<>();
    for (Map.Entry<Integer, Plan> e : plans.entrySet()) {
      Plan p = e.getValue();
      tileImages.addAll(p.tiles);
      if (p.generation != null && sameAsTile(p) < 0) {
        genIndex.put(e.getKey(), genImages.size());
        genImages.add(p.generation);
      }
    }
    List<TokenShardRow.Tile> tileIds = encoder.encode(tileImages);
    List<TokenShardRow.Tile> genIds = encoder.encode(genImages);

    List<Sample> out = new ArrayList<>();
    int nextTile = 0;
    for (int i = 0; i < rows.size(); i++) {
      ImageShardRow r = rows.get(i);
      Plan p = plans.get(i);
      if (p == null) {
        String status = failures.containsKey(i) ? TokenShard.FAILED_TO_TOKENIZE : r.status();
        String msg = failures.containsKey(i) ? failures.get(i) : r.errorMessage();
        for (String task : settings.tasks()) {
          out.add(new Sample(parts.failure(r.key(), task, status, msg), false));
        }
        continue;
      }
      List<TokenShardRow.Tile> tiles = tileIds.subList(nextTile, nextTile + p.tiles.size());
      nextTile += p.tiles.size();
      for (String task : settings.tasks()) {
        if (task.equals(TokenShardRow.UNDERSTANDING)) {
          out.add(understanding(r, List.copyOf(tiles)));
        } else {
          Integer g = genIndex.get(i);
          out.add(generation(r, g != null ? genIds.get(g) : tiles.get(sameAsTile(p))));
        }
      }
    }
    return out;
  }

  private Plan plan(ImageShardRow r) throws java.io.IOException {
    if (r.caption() == null || r.caption().isBlank()) {
      throw new IllegalArgumentException("the image has no caption");
    }
    if (r.image() == null) {
      throw new IllegalArgumentException("the success row carries no image bytes");
    }
    BufferedImage img = ImageIds.buffered(VqImages.decode(r.image()));
    List<RgbImage> tiles = settings.tasks().contains(TokenShardRow.UNDERSTANDING) ? parts.tiles(img) : List.of();
    RgbImage gen = settings.tasks().contains(TokenShardRow.GENERATION) ? parts.generationImage(img) : null;
    return new Plan(r, tiles, gen);
  }

  /** The index of a tile with exactly the generation image's pixels, or -1. */
  private static int sameAsTile(Plan p) {
    for (int t = p.tiles.size() - 1; t >= 0; t--) {
      RgbImage tile = p.tiles.get(t);
      if (tile.height() == p.generation.height() && tile.width() == p.generation.width()
          && Arrays.equals(tile.data(), p.generation.data())) {
        return t;
      }
    }
    return -1;
  }

  private Sample understanding(ImageShardRow r, List<TokenShardRow.Tile> tiles) {
    TokenSequence seq = template.understanding(parts.foldedTokens(tiles), settings.prompt(), r.caption());
    return new Sample(parts.success(r.key(), TokenShardRow.UNDERSTANDING, seq, tiles), false);
  }

  private Sample generation(ImageShardRow r, TokenShardRow.Tile grid) {
    boolean uncond = UnconditionalChoice.unconditional(r.key(), settings.seed(), settings.uncondRatio());
    TokenSequence seq = template.generation(uncond ? null : r.caption(), parts.foldedTokens(grid));
    return new Sample(parts.success(r.key(), TokenShardRow.GENERATION, seq, List.of(grid)), uncond);
  }

  static String message(Exception e) {
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }
}
