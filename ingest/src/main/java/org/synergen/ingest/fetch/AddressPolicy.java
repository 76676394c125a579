package org.synergen.ingest.fetch;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * Which network addresses a URL taken from metadata may reach. Web-scale metadata is written by
 * strangers: without this check a row could make the job read a cloud metadata endpoint
 * (169.254.169.254), an admin page on localhost or a service on the cluster's private network.
 */
public final class AddressPolicy {
  private AddressPolicy() {}

  /** True for loopback, private (RFC 1918, fc00::/7), link-local, CGNAT, unspecified, multicast. */
  public static boolean isPrivate(InetAddress a) {
    if (a.isLoopbackAddress() || a.isSiteLocalAddress() || a.isLinkLocalAddress()
        || a.isAnyLocalAddress() || a.isMulticastAddress()) {
      return true;
    }
    byte[] b = a.getAddress();
    if (a instanceof Inet4Address) {
      int b0 = b[0] & 0xff;
      int b1 = b[1] & 0xff;
      return b0 == 0 // "this network"
          || (b0 == 100 && b1 >= 64 && b1 < 128) // carrier-grade NAT 100.64/10
          || (b0 == 192 && b1 == 0 && (b[2] & 0xff) == 0) // IETF protocol assignments
          || b0 >= 240; // reserved and broadcast
    }
    if (a instanceof Inet6Address) {
      if ((b[0] & 0xfe) == 0xfc) {
        return true; // unique local fc00::/7
      }
      if (isMappedOrCompatibleV4(b)) {
        try {
          byte[] v4 = {b[12], b[13], b[14], b[15]};
          return isPrivate(InetAddress.getByAddress(v4));
        } catch (java.net.UnknownHostException e) {
          return true;
        }
      }
    }
    return false;
  }

  /** ::ffff:a.b.c.d (mapped) or ::a.b.c.d (compatible): the IPv4 rules apply to them. */
  private static boolean isMappedOrCompatibleV4(byte[] b) {
    for (int i = 0; i < 10; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return (b[10] == (byte) 0xff && b[11] == (byte) 0xff) || (b[10] == 0 && b[11] == 0);
  }
}
