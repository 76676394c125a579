package org.synergen.eval.fid;

import java.util.List;

/**
 * Images in, one feature vector per image out: what FID's Gaussian statistics are computed from.
 * Images are float [height][width][3] RGB arrays on the 0-255 scale (any size; the extractor
 * resizes them itself).
 */
public interface FeatureExtractor {
  /** Length of every feature vector (2048 for Inception-v3's pool3). */
  int dimension();

  /** Features of a batch, in the batch's order. */
  List<float[]> features(List<float[][][]> images);
}
