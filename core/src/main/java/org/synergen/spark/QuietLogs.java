package org.synergen.spark;

import java.net.URISyntaxException;
import java.net.URL;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.DefaultConfiguration;

/**
 * Makes a job's terminal output its own progress lines: where log4j2 runs Spark's INFO defaults
 * (spark-submit configures logging before it loads the application jar, so the jar's
 * {@code log4j2.properties} was not seen), this switches to that file. A log4j2 file the user chose
 * and {@code SYNERGEN_VERBOSE=1} (or {@code -Dsynergen.verbose=true}) are left alone. See README,
 * "Logging".
 */
public final class QuietLogs {
  private QuietLogs() {}

  /** Call first in a job's main, before Spark or ND4J log anything. */
  public static void apply() {
    if (verbose()) {
      return;
    }
    LoggerContext context = (LoggerContext) LogManager.getContext(false);
    if (!sparkDefaults(context.getConfiguration())) {
      return;
    }
    URL ours = QuietLogs.class.getClassLoader().getResource("log4j2.properties");
    if (ours == null) {
      return;
    }
    try {
      context.setConfigLocation(ours.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException("log4j2.properties has no URI: " + ours, e);
    }
  }

  static boolean verbose() {
    String env = System.getenv("SYNERGEN_VERBOSE");
    return Boolean.getBoolean("synergen.verbose") || (env != null && !env.isEmpty() && !env.equals("0"));
  }

  /** log4j2's fallback, or one of the files Spark installs when it finds no configuration. */
  static boolean sparkDefaults(Configuration configuration) {
    if (configuration instanceof DefaultConfiguration) {
      return true;
    }
    String location = configuration.getConfigurationSource().getLocation();
    return location != null && location.contains("org/apache/spark/log4j2-");
  }
}
