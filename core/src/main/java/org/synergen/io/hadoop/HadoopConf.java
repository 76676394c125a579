package org.synergen.io.hadoop;

import java.util.HashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;

/**
 * Hadoop's Configuration is not serializable; tasks get a plain map of its entries and rebuild
 * it, so s3a credentials and endpoints set on the driver reach the executors.
 */
public final class HadoopConf {
  private HadoopConf() {}

  public static HashMap<String, String> snapshot(Configuration conf) {
    HashMap<String, String> m = new HashMap<>();
    for (Map.Entry<String, String> e : conf) {
      m.put(e.getKey(), e.getValue());
    }
    return m;
  }

  public static Configuration rebuild(Map<String, String> entries) {
    Configuration conf = new Configuration(false);
    entries.forEach(conf::set);
    return conf;
  }
}
