package org.synergen.ingest;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.File;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import org.synergen.config.LayeredConfig;
import org.synergen.ingest.dedup.DedupSettings;
import org.synergen.ingest.fetch.FetchSettings;
import org.synergen.ingest.image.ImageSettings;
import org.synergen.ingest.input.InputSettings;

/** Every knob of the ingest job, read from the {@code ingest} block of the HOCON config. */
public record IngestSettings(
    String master,
    int shufflePartitions,
    InputSettings input,
    int samplesPerShard,
    FetchSettings fetch,
    ImageSettings image,
    DedupSettings dedup,
    Duration progressInterval) implements Serializable {

  public IngestSettings {
    if (samplesPerShard < 1) {
      throw new IllegalArgumentException(
          "ingest.output.samples-per-shard must be at least 1, got " + samplesPerShard);
    }
  }

  public static IngestSettings from(Config root) {
    Config c = root.getConfig("ingest");
    return new IngestSettings(
        c.getString("spark.master"),
        c.getInt("spark.shuffle-partitions"),
        InputSettings.from(c.getConfig("input")),
        c.getInt("output.samples-per-shard"),
        FetchSettings.from(c.getConfig("fetch")),
        ImageSettings.from(c.getConfig("image")),
        DedupSettings.from(c.getConfig("dedup")),
        c.getDuration("progress-interval"));
  }

  /**
   * Layers, lowest first: the bundled {@code ingest.conf}, the user's file, then
   * {@code key=value} overrides (HOCON syntax, so {@code ingest.image.size=512} works); keys and
   * types are checked against the bundled file.
   */
  public static Config load(File userConf, List<String> overrides) {
    Config defaults = ConfigFactory.parseResources("ingest.conf");
    if (defaults.isEmpty()) {
      throw new IllegalStateException("ingest.conf is missing from the classpath (broken build?)");
    }
    return LayeredConfig.load(defaults, userConf == null ? null : userConf.toPath(), overrides);
  }

}
