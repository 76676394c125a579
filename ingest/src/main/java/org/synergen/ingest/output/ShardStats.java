package org.synergen.ingest.output;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;

/**
 * A shard's {@code _stats.json}: counts by status (img2dataset's field names), counts by cause
 * ({@code status_dict}: "success", "HTTP 404", "image area too large", ...), and timings.
 *
 * @param fetchSeconds   time spent downloading, summed over the download threads
 * @param processSeconds time spent decoding, resizing and encoding, summed over the threads
 */
public record ShardStats(
    @JsonProperty("shard") int shard,
    @JsonProperty("count") long count,
    @JsonProperty("successes") long successes,
    @JsonProperty("failed_to_download") long failedToDownload,
    @JsonProperty("failed_to_resize") long failedToResize,
    @JsonProperty("duplicates") long duplicates,
    @JsonProperty("bytes_downloaded") long bytesDownloaded,
    @JsonProperty("start_time") double startTime,
    @JsonProperty("end_time") double endTime,
    @JsonProperty("duration") double duration,
    @JsonProperty("fetch_seconds") double fetchSeconds,
    @JsonProperty("process_seconds") double processSeconds,
    @JsonProperty("status_dict") TreeMap<String, Long> statusDict) implements Serializable {

  /** These stats after {@code byCause} (cause -> rows) successes were marked as duplicates. */
  public ShardStats withDuplicates(Map<String, Long> byCause) {
    TreeMap<String, Long> dict = new TreeMap<>(statusDict);
    long n = 0;
    for (Map.Entry<String, Long> e : byCause.entrySet()) {
      n += e.getValue();
      dict.merge(e.getKey(), e.getValue(), Long::sum);
    }
    if (n > 0) {
      dict.merge(org.synergen.data.ImageShard.SUCCESS, -n, Long::sum);
      dict.values().removeIf(v -> v == 0);
    }
    return new ShardStats(shard, count, successes - n, failedToDownload, failedToResize,
        duplicates + n, bytesDownloaded, startTime, endTime, duration, fetchSeconds,
        processSeconds, dict);
  }

  /** Counts rows by status and by cause. Not thread-safe. */
  public static final class StatusCounter {
    long count;
    long successes;
    long failedToDownload;
    long failedToResize;
    long duplicates;
    final Map<String, Long> causes = new TreeMap<>();

    public void add(String status, String cause) {
      count++;
      switch (status) {
        case org.synergen.data.ImageShard.SUCCESS -> successes++;
        case org.synergen.data.ImageShard.FAILED_TO_DOWNLOAD -> failedToDownload++;
        case org.synergen.data.ImageShard.FAILED_TO_RESIZE -> failedToResize++;
        case org.synergen.data.ImageShard.DUPLICATE -> duplicates++;
        default -> throw new IllegalArgumentException("unknown status " + status);
      }
      causes.merge(cause, 1L, Long::sum);
    }

    public ShardStats toStats(int shard, long bytes, double start, double end, double fetch,
        double process) {
      return new ShardStats(shard, count, successes, failedToDownload, failedToResize, duplicates,
          bytes, start, end, end - start, fetch, process, new TreeMap<>(causes));
    }
  }
}
