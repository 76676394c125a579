package org.synergen.ingest.fetch;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Turns a URL string from the input into something to fetch, or refuses it. Relative paths are
 * resolved against the folder of the metadata (or the image folder) and are allowed while they
 * stay inside it: that is how bundled metadata points at its images. {@code file:} URLs elsewhere
 * are refused unless private access is allowed.
 */
public final class UrlResolver {
  /** What to fetch: an http(s) URI or a path on a Hadoop file system. */
  public sealed interface Target permits Http, HadoopFile {}

  public record Http(URI uri) implements Target {}

  public record HadoopFile(String uri) implements Target {}

  private final FetchSettings settings;
  private final URI base;

  /** @param baseDir qualified URI of the folder relative paths live in, or null for none */
  public UrlResolver(FetchSettings settings, String baseDir) {
    this.settings = settings;
    this.base = baseDir == null ? null : URI.create(baseDir.endsWith("/") ? baseDir : baseDir + "/");
  }

  public Target resolve(String url) throws FetchFailure {
    if (url == null || url.isBlank()) {
      throw new FetchFailure("missing url", "the input row has no url", false);
    }
    URI uri;
    try {
      uri = new URI(url.trim());
    } catch (URISyntaxException e) {
      throw new FetchFailure("invalid url", e.getMessage(), false);
    }
    String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
    if ("http".equals(scheme) || "https".equals(scheme)) {
      if (uri.getHost() == null) {
        throw new FetchFailure("invalid url", "no host in " + url, false);
      }
      return new Http(uri);
    }
    if (scheme == null || "file".equals(scheme)) {
      if (scheme == null && base == null) {
        throw new FetchFailure("invalid url", "relative path '" + url + "' has no base folder", false);
      }
      URI resolved = scheme == null ? base.resolve(uri).normalize() : uri.normalize();
      if (insideBase(resolved) || settings.allowPrivate()) {
        return new HadoopFile(resolved.toString());
      }
      throw new FetchFailure("refused local file",
          url + " is outside the metadata's folder (--allow-private allows it)", false);
    }
    if (settings.hadoopSchemes().contains(scheme)) {
      return new HadoopFile(uri.toString());
    }
    throw new FetchFailure("unsupported scheme", url, false);
  }

  private boolean insideBase(URI resolved) {
    if (base == null || !"file".equalsIgnoreCase(base.getScheme())) {
      return false;
    }
    String p = resolved.getPath();
    return p != null && !p.contains("/../") && p.startsWith(base.getPath())
        && (resolved.getScheme() == null || "file".equalsIgnoreCase(resolved.getScheme()));
  }
}
