package org.synergen.ingest.image;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads that decode, resize and encode, one per core and shared by every shard task of this
 * JVM. Downloads wait on the network on their own (many) threads and hand the bytes here, so the
 * CPU work of all running tasks never has more threads than there are cores: on 2 cores, two
 * tasks with 16 download threads each used to run 32 decodes at once, thrashing caches and
 * holding 32 decoded pictures in memory.
 */
public final class ImageWorkers {
  private static final ExecutorService POOL = start(Runtime.getRuntime().availableProcessors());

  private ImageWorkers() {}

  public static ExecutorService pool() {
    return POOL;
  }

  /**
   * Loads what the first pictures would otherwise wait for, on a background thread: OpenCV's
   * native libraries (JavaCPP's loader takes about 0.7 s, and every image thread waits for it) and
   * ImageIO's plug-ins. A local run, whose tasks run in this JVM, calls it before starting Spark,
   * so the loading overlaps Spark's start-up.
   */
  public static void preload() {
    Thread t = new Thread(() -> {
      OpenCvImages.load();
      ImageProcessor.load();
    }, "ingest-image-preload");
    t.setDaemon(true);
    t.start();
  }

  private static ExecutorService start(int n) {
    AtomicInteger id = new AtomicInteger();
    return Executors.newFixedThreadPool(n, r -> {
      Thread t = new Thread(r, "ingest-image-" + id.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }
}
