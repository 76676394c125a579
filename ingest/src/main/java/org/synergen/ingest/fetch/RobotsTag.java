package org.synergen.ingest.fetch;

import java.util.List;
import java.util.Locale;

/**
 * X-Robots-Tag handling as in img2dataset: a header value is either {@code "d1, d2"} (for every
 * crawler) or {@code "token: d1, d2"} (for one user agent). Usage is disallowed when a value for
 * everyone, or for our token, names one of the disallowed directives.
 */
public final class RobotsTag {
  private RobotsTag() {}

  public static boolean disallows(List<String> headerValues, String userAgentToken,
      List<String> disallowedDirectives) {
    if (disallowedDirectives.isEmpty()) {
      return false;
    }
    for (String value : headerValues) {
      String[] parts = value.split(":", 2);
      String token = parts.length == 2 ? parts[0].trim().toLowerCase(Locale.ROOT) : null;
      if (token != null && !token.equals(userAgentToken.toLowerCase(Locale.ROOT))) {
        continue;
      }
      for (String d : parts[parts.length - 1].split(",")) {
        if (disallowedDirectives.contains(d.trim().toLowerCase(Locale.ROOT))) {
          return true;
        }
      }
    }
    return false;
  }
}
