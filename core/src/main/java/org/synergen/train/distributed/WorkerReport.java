package org.synergen.train.distributed;

import java.io.Serializable;
import java.util.Map;

/**
 * One task's numbers for one round (everything but the tensors).
 *
 * @param partition       the worker
 * @param losses          loss of each local step
 * @param taskLosses      mean loss per training task (e.g. "und", "gen") over the local steps
 * @param gradNorms       gradient norm of each local step, before clipping
 * @param learningRate    learning rate of the last local step
 * @param examples        examples consumed
 * @param tokens          tokens consumed
 * @param optimizerSteps  the inner optimizer's step count after the round
 * @param readNanos       time to fetch the broadcast state and copy it
 * @param computeNanos    time of the local steps
 * @param nonFiniteTensor first returned parameter holding NaN/inf, or null
 */
public record WorkerReport(
    int partition,
    float[] losses,
    Map<String, Double> taskLosses,
    float[] gradNorms,
    double learningRate,
    long examples,
    long tokens,
    long optimizerSteps,
    long readNanos,
    long computeNanos,
    String nonFiniteTensor)
    implements Serializable {

  public double meanLoss() {
    double s = 0;
    for (float l : losses) {
      s += l;
    }
    return losses.length == 0 ? Double.NaN : s / losses.length;
  }

  public double maxGradNorm() {
    double m = 0;
    for (float g : gradNorms) {
      m = Math.max(m, g);
    }
    return m;
  }
}
