package org.synergen.ingest.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.synergen.ingest.LoopbackServer;

class FetchPolicyTest {
  static FetchSettings defaults() {
    return FetchSettings.from(ConfigFactory.parseResources("ingest.conf").getConfig("ingest.fetch"));
  }

  @Test
  void privateAddresses() throws Exception {
    for (String a : List.of("127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254",
        "100.64.0.1", "0.0.0.0", "::1", "fe80::1", "fd00::1", "::ffff:127.0.0.1", "224.0.0.1")) {
      assertTrue(AddressPolicy.isPrivate(InetAddress.getByName(a)), a);
    }
    for (String a : List.of("8.8.8.8", "1.1.1.1", "172.32.0.1", "100.128.0.1", "2606:4700::1111")) {
      assertFalse(AddressPolicy.isPrivate(InetAddress.getByName(a)), a);
    }
  }

  @Test
  void robotsTagLikeImg2dataset() {
    List<String> dis = List.of("noai", "noimageai", "noindex", "noimageindex");
    assertTrue(RobotsTag.disallows(List.of("noai"), "synergen", dis));
    assertTrue(RobotsTag.disallows(List.of("nofollow, NoImageIndex"), "synergen", dis));
    assertTrue(RobotsTag.disallows(List.of("synergen: noai"), "synergen", dis));
    assertFalse(RobotsTag.disallows(List.of("otherbot: noai"), "synergen", dis), "for another bot");
    assertFalse(RobotsTag.disallows(List.of("nofollow"), "synergen", dis));
    assertFalse(RobotsTag.disallows(List.of("noai"), "synergen", List.of()), "check disabled");
  }

  @Test
  void fileUrlsAndRelativePaths() throws Exception {
    UrlResolver r = new UrlResolver(defaults(), "file:/data/meta");
    assertEquals("file:/data/meta/images/a.jpg",
        ((UrlResolver.HadoopFile) r.resolve("images/a.jpg")).uri());
    assertEquals("refused local file",
        assertThrows(FetchFailure.class, () -> r.resolve("../secret.jpg")).reason());
    assertEquals("refused local file",
        assertThrows(FetchFailure.class, () -> r.resolve("file:///etc/passwd")).reason());
    assertEquals("unsupported scheme",
        assertThrows(FetchFailure.class, () -> r.resolve("ftp://example.com/a.jpg")).reason());
    assertEquals("missing url", assertThrows(FetchFailure.class, () -> r.resolve(" ")).reason());
    assertInstanceOf(UrlResolver.Http.class, r.resolve("https://example.com/a.jpg"));
    assertInstanceOf(UrlResolver.HadoopFile.class, r.resolve("s3a://bucket/a.jpg"));
    UrlResolver open = new UrlResolver(defaults().withAllowPrivate(true), "file:/data/meta");
    assertInstanceOf(UrlResolver.HadoopFile.class, open.resolve("file:///etc/hosts"));
  }

  @Test
  void loopbackIsRefusedUnlessAllowed() throws Exception {
    try (LoopbackServer s = new LoopbackServer(Map.of("/a.jpg",
        LoopbackServer.image(new byte[] {1, 2, 3})))) {
      try (Fetcher strict = new Fetcher(defaults(), null, Map.of())) {
        FetchFailure f = assertThrows(FetchFailure.class, () -> strict.fetch(s.url("/a.jpg")));
        assertEquals("refused private address", f.reason());
        // and through a name: localhost resolves to loopback, refused at DNS resolution
        String byName = s.url("/a.jpg").replace("127.0.0.1", "localhost");
        assertEquals("refused private address",
            assertThrows(FetchFailure.class, () -> strict.fetch(byName)).reason());
      }
      assertEquals(0, s.hits("/a.jpg"), "no request may reach a refused address");
      try (Fetcher open = new Fetcher(defaults().withAllowPrivate(true), null, Map.of())) {
        assertEquals(3, open.fetch(s.url("/a.jpg")).length);
      }
    }
  }
}
