package org.synergen.ingest.image;

/**
 * A byte array per thread, grown when a picture needs more, so that decoding and drawing a picture
 * do not allocate and zero megabytes each time. Pictures above {@link #LIMIT} get arrays of their
 * own, so that one huge picture does not keep its buffer alive for the rest of the run.
 */
final class ReusedBytes {
  /** About 5 megapixels of R, G, B; also the cap of OpenCvImages' native buffer. */
  static final int LIMIT = 16 << 20;
  private final ThreadLocal<byte[]> slot = ThreadLocal.withInitial(() -> new byte[0]);

  /** An array of at least n bytes (its contents are whatever the thread left in it). */
  byte[] atLeast(int n) {
    if (n > LIMIT) {
      return new byte[n];
    }
    byte[] b = slot.get();
    if (b.length < n) {
      b = new byte[n];
      slot.set(b);
    }
    return b;
  }
}
