package org.synergen.ingest.fetch;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.CircularRedirectException;
import org.apache.hc.client5.http.RedirectException;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.util.Timeout;

/**
 * Downloads over http/https with one pooled client: connect and read timeouts, a deadline for the
 * whole body, a size cap, a redirect limit with loop detection, our user agent, X-Robots-Tag
 * checks, and private-address refusal at DNS resolution (see {@link CheckedDnsResolver}).
 * One attempt per call; retries live in {@link Fetcher}.
 */
final class HttpFetcher implements Closeable {
  private final FetchSettings s;
  private final CloseableHttpClient client;

  HttpFetcher(FetchSettings s) {
    this.s = s;
    PoolingHttpClientConnectionManager pool = PoolingHttpClientConnectionManagerBuilder.create()
        .setDnsResolver(new CheckedDnsResolver(s.allowPrivate()))
        .setDefaultConnectionConfig(ConnectionConfig.custom()
            .setConnectTimeout(Timeout.of(s.connectTimeout()))
            .setSocketTimeout(Timeout.of(s.readTimeout()))
            .build())
        .setMaxConnTotal(Math.max(2, s.threads() * 2))
        .setMaxConnPerRoute(Math.max(2, s.threads()))
        .build();
    this.client = HttpClients.custom()
        .setConnectionManager(pool)
        .setUserAgent(s.userAgent())
        .disableAutomaticRetries()
        .disableCookieManagement()
        .setDefaultRequestConfig(RequestConfig.custom()
            .setRedirectsEnabled(true)
            .setMaxRedirects(s.maxRedirects())
            .setCircularRedirectsAllowed(false)
            .setResponseTimeout(Timeout.of(s.readTimeout()))
            .setConnectionRequestTimeout(Timeout.of(s.totalTimeout()))
            .build())
        .build();
  }

  byte[] fetch(URI uri) throws FetchFailure {
    long deadline = System.nanoTime() + s.totalTimeout().toNanos();
    try {
      return client.execute(new HttpGet(uri), response -> body(response, deadline));
    } catch (BodyFailure e) {
      throw e.failure;
    } catch (CheckedDnsResolver.PrivateAddressException e) {
      throw new FetchFailure("refused private address", e.getMessage(), false);
    } catch (UnknownHostException e) {
      throw new FetchFailure("unknown host", e.getMessage(), true);
    } catch (SocketTimeoutException e) {
      throw new FetchFailure("timeout", e.getMessage(), true);
    } catch (IOException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      if (cause instanceof CircularRedirectException) {
        throw new FetchFailure("redirect loop", cause.getMessage(), false);
      }
      if (cause instanceof RedirectException) {
        throw new FetchFailure("too many redirects", cause.getMessage(), false);
      }
      if (e instanceof InterruptedIOException) {
        throw new FetchFailure("timeout", e.getMessage(), true);
      }
      throw new FetchFailure("connection error", e.getClass().getSimpleName() + ": " + e.getMessage(), true);
    }
  }

  private byte[] body(ClassicHttpResponse r, long deadline) throws IOException {
    int code = r.getCode();
    if (code >= 400) {
      throw new BodyFailure(new FetchFailure("HTTP " + code, r.getReasonPhrase(),
          code >= 500 || code == 429));
    }
    if (code >= 300) {
      throw new BodyFailure(new FetchFailure("HTTP " + code, "redirect without a usable Location", false));
    }
    List<String> robots = new ArrayList<>();
    for (Header h : r.getHeaders("X-Robots-Tag")) {
      robots.add(h.getValue());
    }
    if (RobotsTag.disallows(robots, s.userAgentToken(), s.disallowedHeaderDirectives())) {
      throw new BodyFailure(new FetchFailure("disallowed by X-Robots-Tag",
          "Use of image disallowed by X-Robots-Tag directive " + robots, false));
    }
    HttpEntity entity = r.getEntity();
    if (entity == null) {
      throw new BodyFailure(new FetchFailure("empty body", null, false));
    }
    if (entity.getContentLength() > s.maxBytes()) {
      throw new BodyFailure(new FetchFailure("too large", entity.getContentLength()
          + " bytes announced, limit " + s.maxBytes(), false));
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(
        (int) Math.max(8192, Math.min(entity.getContentLength(), 1 << 20)));
    byte[] buf = new byte[64 * 1024];
    try (InputStream in = entity.getContent()) {
      for (int n; (n = in.read(buf)) >= 0; ) {
        out.write(buf, 0, n);
        if (out.size() > s.maxBytes()) {
          throw new BodyFailure(new FetchFailure("too large", "body exceeds " + s.maxBytes() + " bytes", false));
        }
        if (System.nanoTime() > deadline) {
          throw new BodyFailure(new FetchFailure("timeout", "body not complete within "
              + TimeUnit.NANOSECONDS.toMillis(s.totalTimeout().toNanos()) + " ms", true));
        }
      }
    }
    return out.toByteArray();
  }

  @Override
  public void close() throws IOException {
    client.close();
  }

  /** Carries a FetchFailure out of the response handler, which may throw only IOException. */
  private static final class BodyFailure extends IOException {
    final FetchFailure failure;

    BodyFailure(FetchFailure f) {
      super(f.getMessage());
      this.failure = f;
    }
  }
}
