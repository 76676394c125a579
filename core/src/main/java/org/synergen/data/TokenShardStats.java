package org.synergen.data;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.synergen.io.hadoop.HadoopPaths;

/**
 * A token shard's {@code NNNNN_stats.json}: what went in (image rows by status), what came out
 * (sample rows by task and status, token counts), why rows failed, and how long it took.
 *
 * @param images          image-shard rows read
 * @param imagesByStatus  image-shard rows by their ingest status
 * @param rows            sample rows written (success and failure)
 * @param successes       sample rows with status success
 * @param byTask          successful sample rows per task ({@code und}, {@code gen})
 * @param byStatus        sample rows per status
 * @param errors          failure rows per error message (ingest's or ours)
 * @param unconditional   generation samples whose caption was replaced by the unconditional prompt
 * @param textTokens      sequence positions over successful rows (placeholders included)
 * @param imageTokens     folded image placeholders over successful rows
 * @param imageIds        VQ ids over successful rows
 * @param tiles           id grids over successful rows
 * @param maxSequence     longest successful sequence
 * @param seconds         wall time of the shard task
 */
public record TokenShardStats(
    @JsonProperty("shard") int shard,
    @JsonProperty("images") long images,
    @JsonProperty("images_by_status") TreeMap<String, Long> imagesByStatus,
    @JsonProperty("rows") long rows,
    @JsonProperty("successes") long successes,
    @JsonProperty("by_task") TreeMap<String, Long> byTask,
    @JsonProperty("by_status") TreeMap<String, Long> byStatus,
    @JsonProperty("errors") TreeMap<String, Long> errors,
    @JsonProperty("unconditional") long unconditional,
    @JsonProperty("text_tokens") long textTokens,
    @JsonProperty("image_tokens") long imageTokens,
    @JsonProperty("image_ids") long imageIds,
    @JsonProperty("tiles") long tiles,
    @JsonProperty("max_sequence") int maxSequence,
    @JsonProperty("seconds") double seconds) implements Serializable {

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public void write(Path p, Configuration conf) throws IOException {
    HadoopPaths.writeString(p, JSON.writeValueAsString(this) + "\n", conf);
  }

  public static TokenShardStats read(Path p, Configuration conf) throws IOException {
    return JSON.readValue(HadoopPaths.readString(p, conf), TokenShardStats.class);
  }

  /** Counts as rows are written. Not thread-safe. */
  public static final class Counter {
    private long images;
    private final TreeMap<String, Long> imagesByStatus = new TreeMap<>();
    private long rows;
    private long successes;
    private final TreeMap<String, Long> byTask = new TreeMap<>();
    private final TreeMap<String, Long> byStatus = new TreeMap<>();
    private final TreeMap<String, Long> errors = new TreeMap<>();
    private long unconditional;
    private long textTokens;
    private long imageTokens;
    private long imageIds;
    private long tiles;
    private int maxSequence;

    public void image(String ingestStatus) {
      images++;
      imagesByStatus.merge(ingestStatus, 1L, Long::sum);
    }

    /** @param unconditional the row is a generation sample without its caption */
    public void row(TokenShardRow r, boolean unconditional) {
      rows++;
      byStatus.merge(r.status(), 1L, Long::sum);
      if (!TokenShardRow.SUCCESS.equals(r.status())) {
        errors.merge(r.errorMessage() == null ? r.status() : r.errorMessage(), 1L, Long::sum);
        return;
      }
      successes++;
      byTask.merge(r.task(), 1L, Long::sum);
      if (unconditional) {
        this.unconditional++;
      }
      textTokens += r.inputIds().length;
      for (int id : r.inputIds()) {
        if (id == TokenShardRow.IMAGE_PLACEHOLDER) {
          imageTokens++;
        }
      }
      for (TokenShardRow.Tile t : r.tiles()) {
        imageIds += t.ids().length;
        tiles++;
      }
      maxSequence = Math.max(maxSequence, r.inputIds().length);
    }

    public TokenShardStats toStats(int shard, double seconds) {
      return new TokenShardStats(shard, images, new TreeMap<>(imagesByStatus), rows, successes,
          new TreeMap<>(byTask), new TreeMap<>(byStatus), new TreeMap<>(errors), unconditional,
          textTokens, imageTokens, imageIds, tiles, maxSequence, seconds);
    }
  }

  /** Job totals: the sum of shard stats (shard = -1, seconds summed over shards). */
  public static TokenShardStats sum(Iterable<TokenShardStats> shards) {
    long images = 0, rows = 0, successes = 0, uncond = 0, text = 0, img = 0, ids = 0, tiles = 0;
    int max = 0;
    double secs = 0;
    TreeMap<String, Long> imagesByStatus = new TreeMap<>();
    TreeMap<String, Long> byTask = new TreeMap<>();
    TreeMap<String, Long> byStatus = new TreeMap<>();
    TreeMap<String, Long> errors = new TreeMap<>();
    for (TokenShardStats s : shards) {
      images += s.images;
      rows += s.rows;
      successes += s.successes;
      uncond += s.unconditional;
      text += s.textTokens;
      img += s.imageTokens;
      ids += s.imageIds;
      tiles += s.tiles;
      max = Math.max(max, s.maxSequence);
      secs += s.seconds;
      merge(imagesByStatus, s.imagesByStatus);
      merge(byTask, s.byTask);
      merge(byStatus, s.byStatus);
      merge(errors, s.errors);
    }
    return new TokenShardStats(-1, images, imagesByStatus, rows, successes, byTask, byStatus, errors,
        uncond, text, img, ids, tiles, max, secs);
  }

  private static void merge(Map<String, Long> into, Map<String, Long> from) {
    from.forEach((k, v) -> into.merge(k, v, Long::sum));
  }
}
