package org.synergen.vision.vq;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Nearest-codebook quantization outside the graph (ids are not differentiable, and a gather would
 * not train in SameDiff anyway; see docs/architecture.md, "Engine choices").
 */
public final class Quantizer {
  /** Positions per distance block: bounds the [rows, K] distance matrix (32768 codes -> 64 MiB). */
  private static final int ROWS_PER_BLOCK = 512;

  private Quantizer() {}

  /**
   * Ids of the nearest codes, by squared distance computed as Emu3 does:
   * (|x|^2 + |e|^2) - 2 x.e in float32, first index on ties.
   *
   * @param latents  [batch, D, h, w]
   * @param codebook [K, D]
   * @return int64 [batch, h, w]
   */
  public static INDArray nearest(INDArray latents, INDArray codebook) {
    long b = latents.size(0);
    long d = latents.size(1);
    long h = latents.size(2);
    long w = latents.size(3);
    if (codebook.size(1) != d) {
      throw new IllegalArgumentException("latents have " + d + " channels, codebook vectors " + codebook.size(1));
    }
    INDArray rows = latents.permute(0, 2, 3, 1).dup('c').reshape(b * h * w, d);
    INDArray codeNorms = codebook.mul(codebook).sum(1).reshape(1, -1);
    INDArray ids = Nd4j.create(DataType.INT64, b * h * w);
    long n = rows.size(0);
    for (long start = 0; start < n; start += ROWS_PER_BLOCK) {
      long end = Math.min(n, start + ROWS_PER_BLOCK);
      INDArray x = rows.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(start, end),
          org.nd4j.linalg.indexing.NDArrayIndex.all());
      INDArray dist = Nd4j.zeros(DataType.FLOAT, end - start, codebook.size(0))
          .addiColumnVector(x.mul(x).sum(1).reshape(-1, 1))
          .addiRowVector(codeNorms)
          .subi(x.mmul(codebook.transpose()).muli(2));
      INDArray best = Nd4j.argMin(dist, 1);
      for (long i = start; i < end; i++) {
        ids.putScalar(i, best.getLong(i - start));
      }
    }
    return ids.reshape(b, h, w);
  }

  /**
   * Codebook vectors of ids, laid out as latents.
   *
   * @param ids      integer [batch, h, w], each in [0, K)
   * @param codebook [K, D]
   * @return float32 [batch, D, h, w]
   */
  public static INDArray lookup(INDArray ids, INDArray codebook) {
    long k = codebook.size(0);
    long[] flat = ids.castTo(DataType.INT64).reshape(-1).toLongVector();
    for (int i = 0; i < flat.length; i++) {
      if (flat[i] < 0 || flat[i] >= k) {
        throw new IllegalArgumentException("image id " + flat[i] + " at flat position " + i
            + " is outside the codebook [0, " + k + ")");
      }
    }
    INDArray vectors = codebook.getRows(java.util.Arrays.stream(flat).mapToInt(Math::toIntExact).toArray());
    return vectors.reshape(ids.size(0), ids.size(1), ids.size(2), codebook.size(1))
        .permute(0, 3, 1, 2).dup('c');
  }
}
