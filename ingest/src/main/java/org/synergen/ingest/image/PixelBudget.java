package org.synergen.ingest.image;

import java.util.concurrent.Semaphore;

/**
 * Caps the pixels being decoded at once in this JVM, so that many download threads meeting
 * large (but allowed) images together cannot exhaust the heap. Budget: a quarter of the maximum
 * heap at 4 bytes per pixel; one image larger than the whole budget waits for all of it.
 */
final class PixelBudget {
  private static final int PERMITS =
      (int) Math.min(Integer.MAX_VALUE, Runtime.getRuntime().maxMemory() / 4 / 4);
  private static final Semaphore FREE = new Semaphore(PERMITS, true);

  private PixelBudget() {}

  static Lease acquire(long pixels) throws InterruptedException {
    int n = (int) Math.min(pixels, PERMITS);
    FREE.acquire(n);
    return new Lease(n);
  }

  /** Pixels held until closed. */
  record Lease(int permits) implements AutoCloseable {
    @Override
    public void close() {
      FREE.release(permits);
    }
  }
}
