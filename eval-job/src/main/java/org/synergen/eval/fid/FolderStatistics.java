package org.synergen.eval.fid;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.synergen.eval.data.EvalInputException;

/** A folder of images -> features in batches -> Gaussian statistics, with progress for long folders. */
public final class FolderStatistics {
  /** The statistics and how many images they came from. */
  public record Result(GaussianStats stats, int images) {}

  private FolderStatistics() {}

  public static Result of(Path folder, FeatureExtractor extractor, int batchSize, PrintStream progress) {
    List<Path> files = ImageFolder.list(folder);
    if (files.size() < 2) {
      throw new EvalInputException(folder, "holds " + files.size() + " image; FID's covariance needs at least 2 "
          + "(and thousands for a meaningful score)");
    }
    List<float[]> features = new ArrayList<>(files.size());
    long start = System.nanoTime();
    for (int from = 0; from < files.size(); from += batchSize) {
      List<float[][][]> batch = new ArrayList<>();
      for (Path file : files.subList(from, Math.min(from + batchSize, files.size()))) {
        batch.add(ImageFolder.read(file));
      }
      features.addAll(extractor.features(batch));
      if (files.size() > batchSize) {
        double seconds = (System.nanoTime() - start) / 1e9;
        progress.printf(Locale.ROOT, "fid: %s: %d/%d images (%.1f images/s)%n", folder, features.size(),
            files.size(), features.size() / seconds);
      }
    }
    return new Result(GaussianStats.of(features), files.size());
  }
}
