package org.synergen.ingest.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.synergen.ingest.IngestSettings;
import org.synergen.ingest.image.ImageProcessor;

/**
 * The CPU cost of one image on one thread (decode + resize + JPEG encode + hashes), no Spark and
 * no network: the bundled photos at the default settings (256 px, border, quality 95), after a
 * warm-up. Arguments are ingest settings ({@code ingest.image.size=512}). Printed by
 * scripts/bench/ingest_vs_img2dataset.py beside its side-by-side table.
 */
public final class ImageCost {
  private ImageCost() {}

  public static void main(String[] args) throws Exception {
    Path sample = Path.of(System.getProperty("synergen.home", "."), "data", "sample", "images");
    List<byte[]> images = new ArrayList<>();
    try (var files = Files.list(sample)) {
      for (Path p : files.sorted().toList()) {
        images.add(Files.readAllBytes(p));
      }
    }
    if (images.isEmpty()) {
      System.err.println("no images in " + sample + " (set -Dsynergen.home to the repository root)");
      System.exit(2);
    }
    ImageProcessor p = new ImageProcessor(
        IngestSettings.from(IngestSettings.load(null, List.of(args))).image());
    int reps = 40 * images.size();
    for (int i = 0; i < reps; i++) {
      p.process(images.get(i % images.size()));
    }
    long cpu0 = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    for (int i = 0; i < reps; i++) {
      p.process(images.get(i % images.size()));
    }
    double ms = (ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpu0) / 1e6 / reps;
    System.out.printf("one thread, no Spark, no network: decode + resize + encode + hashes = %.2f ms"
        + " CPU per image (%d photos of at most 512 px -> 256 px border, quality 95)%n", ms,
        images.size());
  }
}
