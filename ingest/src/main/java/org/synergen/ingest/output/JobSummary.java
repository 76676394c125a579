package org.synergen.ingest.output;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.TreeMap;

/** {@code _summary.json}: the whole job's counts; written last, so it marks a finished job. */
public record JobSummary(
    @JsonProperty("input") String input,
    @JsonProperty("output") String output,
    @JsonProperty("shards") int shards,
    @JsonProperty("shards_from_earlier_run") int shardsFromEarlierRun,
    @JsonProperty("count") long count,
    @JsonProperty("successes") long successes,
    @JsonProperty("failed_to_download") long failedToDownload,
    @JsonProperty("failed_to_resize") long failedToResize,
    @JsonProperty("duplicates") long duplicates,
    @JsonProperty("bytes_downloaded") long bytesDownloaded,
    @JsonProperty("duration") double duration,
    @JsonProperty("status_dict") TreeMap<String, Long> statusDict) {

  public static JobSummary of(String input, String output, List<ShardStats> shards,
      int fromEarlierRun, double duration) {
    long count = 0, ok = 0, dl = 0, rs = 0, dup = 0, bytes = 0;
    TreeMap<String, Long> dict = new TreeMap<>();
    for (ShardStats s : shards) {
      count += s.count();
      ok += s.successes();
      dl += s.failedToDownload();
      rs += s.failedToResize();
      dup += s.duplicates();
      bytes += s.bytesDownloaded();
      s.statusDict().forEach((k, v) -> dict.merge(k, v, Long::sum));
    }
    return new JobSummary(input, output, shards.size(), fromEarlierRun, count, ok, dl, rs, dup,
        bytes, duration, dict);
  }

  public String oneLine() {
    return String.format("%d rows in %d shards: %d success, %d failed_to_download, "
        + "%d failed_to_resize, %d duplicate (%.1f s)", count, shards, successes, failedToDownload,
        failedToResize, duplicates, duration);
  }
}
