package org.synergen.tokenize;

import java.awt.image.BufferedImage;
import java.io.FileNotFoundException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.synergen.data.TokenShard;
import org.synergen.data.TokenShardRow;
import org.synergen.io.hadoop.HadoopPaths;
import org.synergen.text.ChatTemplate;
import org.synergen.text.TokenSequence;
import org.synergen.vision.vq.ImageIds;
import org.synergen.vision.vq.RgbImage;
import org.synergen.vision.vq.VqImages;

/**
 * Conversation lines -> token-shard rows, one row per line, in line order: input images cut into
 * the stage's tiles (thumbnail included) and VQ-encoded, an image answer encoded as one square grid
 * ({@link SampleParts}, the same as caption samples), the conversation templated by
 * {@link ChatTemplate#conversation}. A line that cannot become a sample becomes a failure row
 * ({@link TokenShard#FAILED_TO_TOKENIZE}) with the reason: malformed, no assistant turn,
 * placeholder count mismatch, image answer after input images, missing or unreadable image, too
 * long for the sequence length.
 */
final class ConversationSampleBuilder {
  /** Larger image files are refused instead of read into memory. */
  private static final long MAX_IMAGE_BYTES = 64L << 20;

  private final SampleParts parts;
  private final ImageIds encoder;
  private final ChatTemplate template;
  private final int sequenceLength;
  private final Path imageRoot;
  private final Configuration conf;

  /** One input line: its JSON and the key it gets if it has no {@code id} (FILE:LINE). */
  record Line(String fallbackKey, String json) {}

  /** @param imageRoot folder that relative image paths start from */
  ConversationSampleBuilder(SampleParts parts, ImageIds encoder, ChatTemplate template, int sequenceLength,
      Path imageRoot, Configuration conf) {
    this.parts = parts;
    this.encoder = encoder;
    this.template = template;
    this.sequenceLength = sequenceLength;
    this.imageRoot = imageRoot;
    this.conf = conf;
  }

  /** A parsed line with its images cut, before encoding. */
  private record Plan(ConversationLine line, List<List<RgbImage>> tiles, RgbImage answer) {}

  List<TokenShardRow> build(List<Line> lines) {
    Map<Integer, Plan> plans = new LinkedHashMap<>();
    Map<Integer, TokenShardRow> failures = new LinkedHashMap<>();
    List<RgbImage> tileImages = new ArrayList<>();
    List<RgbImage> answerImages = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      try {
        Plan p = plan(ConversationLine.parse(lines.get(i).json(), lines.get(i).fallbackKey()));
        plans.put(i, p);
        p.tiles.forEach(tileImages::addAll);
        if (p.answer != null) {
          answerImages.add(p.answer);
        }
      } catch (ConversationLine.Refused r) {
        failures.put(i, parts.failure(r.key, r.task, TokenShard.FAILED_TO_TOKENIZE, r.getMessage()));
      }
    }
    List<TokenShardRow.Tile> tileIds = encoder.encode(tileImages);
    List<TokenShardRow.Tile> answerIds = encoder.encode(answerImages);
    List<TokenShardRow> out = new ArrayList<>(lines.size());
    int nextTile = 0;
    int nextAnswer = 0;
    for (int i = 0; i < lines.size(); i++) {
      Plan p = plans.get(i);
      if (p == null) {
        out.add(failures.get(i));
        continue;
      }
      List<TokenShardRow.Tile> rowTiles = new ArrayList<>();
      List<Integer> imageTokens = new ArrayList<>();
      for (List<RgbImage> image : p.tiles) {
        List<TokenShardRow.Tile> ids = tileIds.subList(nextTile, nextTile + image.size());
        nextTile += image.size();
        imageTokens.add(parts.foldedTokens(ids));
        rowTiles.addAll(ids);
      }
      int answerTokens = 0;
      if (p.answer != null) {
        TokenShardRow.Tile grid = answerIds.get(nextAnswer++);
        answerTokens = parts.foldedTokens(grid);
        rowTiles.add(grid);
      }
      ConversationLine line = p.line;
      TokenSequence seq = template.conversation(line.messages(imageTokens, answerTokens));
      if (seq.length() > sequenceLength) {
        out.add(parts.failure(line.key(), line.task(), TokenShard.FAILED_TO_TOKENIZE, "too long: " + seq.length()
            + " positions, the sequence length is " + sequenceLength + " (tokenize.conversations.sequence-length)"));
      } else {
        out.add(parts.success(line.key(), line.task(), seq, List.copyOf(rowTiles)));
      }
    }
    return out;
  }

  private Plan plan(ConversationLine line) throws ConversationLine.Refused {
    List<List<RgbImage>> tiles = new ArrayList<>();
    for (String image : line.images()) {
      tiles.add(parts.tiles(read(line, image)));
    }
    RgbImage answer = line.answerImage() == null ? null : parts.generationImage(read(line, line.answerImage()));
    return new Plan(line, tiles, answer);
  }

  private BufferedImage read(ConversationLine line, String image) throws ConversationLine.Refused {
    Path p = resolve(image);
    try {
      return ImageIds.buffered(VqImages.decode(HadoopPaths.readAll(p, conf, MAX_IMAGE_BYTES)));
    } catch (FileNotFoundException e) {
      throw new ConversationLine.Refused(line.key(), line.task(), "missing image: " + image + " (" + p + ")");
    } catch (Exception e) { // a broken image must not sink its shard: the row records why
      throw new ConversationLine.Refused(line.key(), line.task(), "unreadable image " + image + ": "
          + SampleBuilder.message(e));
    }
  }

  /** A path with a scheme or an absolute path as it is; anything else under the image root. */
  private Path resolve(String image) {
    Path p = new Path(image);
    return p.toUri().getScheme() != null || p.isAbsolute() ? p : new Path(imageRoot, image);
  }
}
