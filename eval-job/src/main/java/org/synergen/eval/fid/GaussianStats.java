package org.synergen.eval.fid;

import java.util.List;

/** Mean and covariance of feature vectors: what FID compares. */
public record GaussianStats(double[] mean, double[][] covariance) {
  public GaussianStats {
    if (covariance.length != mean.length) {
      throw new IllegalArgumentException("covariance is " + covariance.length + " x ..., mean has "
          + mean.length + " dimensions");
    }
    for (double[] row : covariance) {
      if (row.length != mean.length) {
        throw new IllegalArgumentException("covariance must be " + mean.length + " x " + mean.length);
      }
    }
  }

  public int dimension() {
    return mean.length;
  }

  /** Sample mean and unbiased covariance (np.cov(rowvar=False), as pytorch-fid), in double. */
  public static GaussianStats of(List<float[]> features) {
    int n = features.size();
    if (n < 2) {
      throw new IllegalArgumentException("need at least 2 feature vectors for a covariance, got " + n);
    }
    int d = features.get(0).length;
    double[] mean = new double[d];
    for (float[] f : features) {
      if (f.length != d) {
        throw new IllegalArgumentException("feature vectors differ in length: " + d + " vs " + f.length);
      }
      for (int i = 0; i < d; i++) {
        mean[i] += f[i];
      }
    }
    for (int i = 0; i < d; i++) {
      mean[i] /= n;
    }
    double[][] cov = new double[d][d];
    double[] centred = new double[d];
    for (float[] f : features) {
      for (int i = 0; i < d; i++) {
        centred[i] = f[i] - mean[i];
      }
      for (int i = 0; i < d; i++) {
        double ci = centred[i];
        double[] row = cov[i];
        for (int j = i; j < d; j++) {
          row[j] += ci * centred[j];
        }
      }
    }
    for (int i = 0; i < d; i++) {
      for (int j = i; j < d; j++) {
        cov[i][j] /= n - 1;
        cov[j][i] = cov[i][j];
      }
    }
    return new GaussianStats(mean, cov);
  }
}
