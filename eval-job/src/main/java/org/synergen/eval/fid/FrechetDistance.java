package org.synergen.eval.fid;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.eigen.Eigen;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Fréchet distance between two Gaussians, in double precision:
 * |mu1 - mu2|^2 + Tr(S1) + Tr(S2) - 2 Tr((S1 S2)^1/2).
 *
 * <p>The trace of the square root is taken in eigenvalue form. S1 S2 is similar to the symmetric
 * positive semi-definite matrix S1^1/2 S2 S1^1/2, so Tr((S1 S2)^1/2) is the sum of the square roots
 * of that matrix's eigenvalues. Two symmetric eigen-decompositions (LAPACK dsyev through ND4J) stay
 * real and accurate when the covariances are singular or nearly so (fewer images than 2048
 * feature dimensions), where pytorch-fid's scipy.linalg.sqrtm of the non-symmetric product can
 * return non-finite or complex values and needs its 1e-6 diagonal offset and imaginary-part check.
 * Eigenvalues that rounding pushes slightly below zero are clamped to zero. The result agrees with
 * pytorch-fid's calculate_frechet_distance to rounding (see FrechetDistanceTest).
 */
public final class FrechetDistance {
  private FrechetDistance() {}

  public static double between(GaussianStats a, GaussianStats b) {
    int d = a.dimension();
    if (b.dimension() != d) {
      throw new IllegalArgumentException("feature dimensions differ: " + d + " vs " + b.dimension());
    }
    double meanTerm = 0;
    for (int i = 0; i < d; i++) {
      double diff = a.mean()[i] - b.mean()[i];
      meanTerm += diff * diff;
    }
    INDArray s1 = Nd4j.createFromArray(a.covariance());
    INDArray s2 = Nd4j.createFromArray(b.covariance());
    double traceSqrt = 0;
    for (double lambda : eigenvalues(symmetrize(sqrtPsd(s1).mmul(s2).mmul(sqrtPsd(s1))))) {
      traceSqrt += Math.sqrt(Math.max(lambda, 0));
    }
    return meanTerm + trace(a.covariance()) + trace(b.covariance()) - 2 * traceSqrt;
  }

  /** V diag(sqrt(max(lambda, 0))) V^T of a symmetric matrix. */
  static INDArray sqrtPsd(INDArray symmetric) {
    INDArray vectors = symmetrize(symmetric);  // dsyev overwrites its input with the eigenvectors
    INDArray values = Eigen.symmetricGeneralizedEigenvalues(vectors, true);
    INDArray roots = Nd4j.createUninitialized(values.dataType(), values.length());
    for (long i = 0; i < values.length(); i++) {
      roots.putScalar(i, Math.sqrt(Math.max(values.getDouble(i), 0)));
    }
    return vectors.mulRowVector(roots).mmul(vectors.transpose());
  }

  private static double[] eigenvalues(INDArray symmetric) {
    return Eigen.symmetricGeneralizedEigenvalues(symmetric, false).toDoubleVector();
  }

  /** (M + M^T) / 2 as a fresh array: removes the asymmetry rounding leaves in products. */
  private static INDArray symmetrize(INDArray m) {
    return m.add(m.transpose()).muli(0.5);
  }

  private static double trace(double[][] m) {
    double t = 0;
    for (int i = 0; i < m.length; i++) {
      t += m[i][i];
    }
    return t;
  }
}
