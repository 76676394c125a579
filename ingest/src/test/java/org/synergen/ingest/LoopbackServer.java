package org.synergen.ingest;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/** A real HTTP server on 127.0.0.1 with scripted routes, counting the requests per path. */
public final class LoopbackServer implements AutoCloseable {
  /** Answers one request; {@code n} counts the requests to this path so far (1 = first). */
  public interface Route {
    void handle(HttpExchange ex, int n) throws Exception;
  }

  private final HttpServer server;
  private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();

  public LoopbackServer(Map<String, Route> routes) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    server.setExecutor(Executors.newFixedThreadPool(16));
    server.createContext("/", ex -> {
      String path = ex.getRequestURI().getPath();
      int n = hits.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
      Route r = routes.get(path);
      try {
        if (r == null) {
          send(ex, 404, "text/plain", "no such route".getBytes());
        } else {
          r.handle(ex, n);
        }
      } catch (Exception e) {
        // the client went away (e.g. after its read timeout): nothing to answer
      } finally {
        ex.close();
      }
    });
    server.start();
  }

  public String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  public int hits(String path) {
    AtomicInteger n = hits.get(path);
    return n == null ? 0 : n.get();
  }

  public static void send(HttpExchange ex, int code, String type, byte[] body) throws IOException {
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(code, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream o = ex.getResponseBody()) {
        o.write(body);
      }
    }
  }

  public static Route image(byte[] body) {
    return (ex, n) -> send(ex, 200, "image/jpeg", body);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
