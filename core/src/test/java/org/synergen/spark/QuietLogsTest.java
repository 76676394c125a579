package org.synergen.spark;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.ConfigurationSource;
import org.apache.logging.log4j.core.config.DefaultConfiguration;
import org.apache.logging.log4j.core.config.properties.PropertiesConfigurationFactory;
import org.junit.jupiter.api.Test;

/** Which log4j2 configurations QuietLogs replaces; the end-to-end count is in dist's spark-submit test. */
class QuietLogsTest {
  @Test
  void sparksOwnDefaultsAndLog4jsFallbackAreReplaced() throws Exception {
    assertTrue(QuietLogs.sparkDefaults(load("org/apache/spark/log4j2-defaults.properties")));
    assertTrue(QuietLogs.sparkDefaults(new DefaultConfiguration()));
  }

  @Test
  void aChosenFileIsKept() throws Exception {
    assertFalse(QuietLogs.sparkDefaults(load("log4j2.properties")));
  }

  private static Configuration load(String resource) throws Exception {
    URL url = QuietLogsTest.class.getClassLoader().getResource(resource);
    assertNotNull(url, resource);
    return new PropertiesConfigurationFactory().getConfiguration(null, ConfigurationSource.fromUri(url.toURI()));
  }
}
