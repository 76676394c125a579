package org.synergen.ingest.dedup;

import com.typesafe.config.Config;
import java.io.Serializable;

/**
 * @param exact          mark rows whose stored bytes equal an earlier row's (jpg_sha256)
 * @param near           mark rows whose perceptual hash is within {@code phashThreshold} bits
 * @param phashThreshold Hamming distance, 0..63
 */
public record DedupSettings(boolean exact, boolean near, int phashThreshold)
    implements Serializable {

  public DedupSettings {
    if (phashThreshold < 0 || phashThreshold > 63) {
      throw new IllegalArgumentException(
          "ingest.dedup.phash-threshold must be 0..63, got " + phashThreshold);
    }
  }

  public static DedupSettings from(Config c) {
    return new DedupSettings(c.getBoolean("exact"), c.getBoolean("near"), c.getInt("phash-threshold"));
  }
}
