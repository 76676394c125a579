package org.synergen.ingest.fetch;

import java.io.Closeable;
import java.io.IOException;
import java.net.URI;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.synergen.io.hadoop.HadoopConf;
import org.synergen.io.hadoop.HadoopPaths;

/**
 * Fetches the bytes behind one input URL: http(s) through {@link HttpFetcher}, anything else
 * through Hadoop's file systems (file:, s3a://, hdfs://). Retriable failures are retried
 * {@code retries} times with exponential backoff. Thread-safe; one per shard task.
 */
public final class Fetcher implements Closeable {
  private final FetchSettings s;
  private final UrlResolver resolver;
  private final HttpFetcher http;
  private final Configuration hadoop;

  public Fetcher(FetchSettings s, String baseDir, Map<String, String> hadoopConf) {
    this.s = s;
    this.resolver = new UrlResolver(s, baseDir);
    this.http = new HttpFetcher(s);
    this.hadoop = HadoopConf.rebuild(hadoopConf);
  }

  public byte[] fetch(String url) throws FetchFailure, InterruptedException {
    UrlResolver.Target target = resolver.resolve(url);
    long wait = s.backoff().toMillis();
    for (int attempt = 0; ; attempt++) {
      try {
        return target instanceof UrlResolver.Http h
            ? http.fetch(h.uri())
            : readFile(((UrlResolver.HadoopFile) target).uri());
      } catch (FetchFailure f) {
        if (!f.retriable() || attempt >= s.retries()) {
          throw attempt == 0 ? f : new FetchFailure(f.reason(),
              stripReason(f) + " (after " + (attempt + 1) + " attempts)", false);
        }
        Thread.sleep(wait);
        wait *= 2;
      }
    }
  }

  private byte[] readFile(String uri) throws FetchFailure {
    try {
      return HadoopPaths.readAll(new Path(URI.create(uri)), hadoop, s.maxBytes());
    } catch (java.io.FileNotFoundException e) {
      throw new FetchFailure("file not found", uri, false);
    } catch (IOException e) {
      throw new FetchFailure("file read error", e.getMessage(), true);
    }
  }

  private static String stripReason(FetchFailure f) {
    String m = f.getMessage();
    return m.startsWith(f.reason() + ": ") ? m.substring(f.reason().length() + 2) : m;
  }

  @Override
  public void close() throws IOException {
    http.close();
  }
}
