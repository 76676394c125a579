package org.synergen.ingest.fetch;

import com.typesafe.config.Config;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;

/** Download behaviour; see conf/ingest.conf for what each knob does. */
public record FetchSettings(
    boolean allowPrivate,
    List<String> hadoopSchemes,
    int threads,
    Duration connectTimeout,
    Duration readTimeout,
    Duration totalTimeout,
    int retries,
    Duration backoff,
    int maxRedirects,
    long maxBytes,
    String userAgent,
    String userAgentToken,
    List<String> disallowedHeaderDirectives) implements Serializable {

  public static FetchSettings from(Config c) {
    return new FetchSettings(
        c.getBoolean("allow-private"),
        List.copyOf(c.getStringList("hadoop-schemes")),
        c.getInt("threads"),
        c.getDuration("connect-timeout"),
        c.getDuration("read-timeout"),
        c.getDuration("total-timeout"),
        c.getInt("retries"),
        c.getDuration("backoff"),
        c.getInt("max-redirects"),
        c.getBytes("max-bytes"),
        c.getString("user-agent"),
        c.getString("user-agent-token"),
        List.copyOf(c.getStringList("disallowed-header-directives")));
  }

  public FetchSettings withAllowPrivate(boolean allow) {
    return new FetchSettings(allow, hadoopSchemes, threads, connectTimeout, readTimeout,
        totalTimeout, retries, backoff, maxRedirects, maxBytes, userAgent, userAgentToken,
        disallowedHeaderDirectives);
  }
}
