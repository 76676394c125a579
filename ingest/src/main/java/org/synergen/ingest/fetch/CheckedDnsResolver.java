package org.synergen.ingest.fetch;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.SystemDefaultDnsResolver;

/**
 * Resolves host names for the HTTP client and refuses private addresses. Because the client
 * connects to exactly the addresses returned here, the check covers every redirect hop and a
 * DNS answer that changes between a check and the connection (DNS rebinding) cannot slip past.
 */
final class CheckedDnsResolver implements DnsResolver {
  private final boolean allowPrivate;

  CheckedDnsResolver(boolean allowPrivate) {
    this.allowPrivate = allowPrivate;
  }

  @Override
  public InetAddress[] resolve(String host) throws UnknownHostException {
    InetAddress[] all = SystemDefaultDnsResolver.INSTANCE.resolve(host);
    if (!allowPrivate) {
      for (InetAddress a : all) {
        if (AddressPolicy.isPrivate(a)) {
          throw new PrivateAddressException(host, a);
        }
      }
    }
    return all;
  }

  @Override
  public String resolveCanonicalHostname(String host) throws UnknownHostException {
    return SystemDefaultDnsResolver.INSTANCE.resolveCanonicalHostname(host);
  }

  /** Thrown (as the client expects an UnknownHostException) when a host resolves privately. */
  static final class PrivateAddressException extends UnknownHostException {
    PrivateAddressException(String host, InetAddress a) {
      super(host + " resolves to the private address " + a.getHostAddress()
          + " (refused for URLs from metadata; --allow-private allows it)");
    }
  }
}
