package org.synergen.ingest.output;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * {@code _job.json}: what an output folder is being made from. Resuming into a folder made from
 * another input, or with settings that change shard contents, would mix two datasets, so the job
 * refuses it.
 */
public record JobRecord(
    @JsonProperty("input") String input,
    @JsonProperty("rows") long rows,
    @JsonProperty("samples_per_shard") int samplesPerShard,
    @JsonProperty("image") String image,
    @JsonProperty("dedup") String dedup) {

  /** Why {@code other} cannot continue this output, or null if it can. */
  public String conflictWith(JobRecord other) {
    if (!input.equals(other.input)) {
      return "input " + input + " (now " + other.input + ")";
    }
    if (rows != other.rows) {
      return "an input of " + rows + " rows (now " + other.rows + ")";
    }
    if (samplesPerShard != other.samplesPerShard) {
      return "samples-per-shard " + samplesPerShard + " (now " + other.samplesPerShard + ")";
    }
    if (!image.equals(other.image)) {
      return "image settings " + image + " (now " + other.image + ")";
    }
    if (!dedup.equals(other.dedup)) {
      return "dedup settings " + dedup + " (now " + other.dedup + ")";
    }
    return null;
  }
}
