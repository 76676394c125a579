package org.synergen.train;

import com.typesafe.config.Config;
import java.io.Serializable;
import java.util.Locale;

/**
 * Learning rate per global step: linear warm-up to the peak, then constant (stage 1) or cosine
 * decay to {@code minLr} at {@code totalSteps} (stage 2, SFT).
 */
public record LearningRateSchedule(double peak, long warmupSteps, Shape shape, long totalSteps, double minLr)
    implements Serializable {

  public enum Shape { CONSTANT, COSINE }

  public LearningRateSchedule {
    if (!(peak > 0) || warmupSteps < 0 || totalSteps < 1 || minLr < 0) {
      throw new IllegalArgumentException("bad learning-rate schedule: peak " + peak + ", warm-up " + warmupSteps
          + ", total steps " + totalSteps + ", min " + minLr);
    }
  }

  /** Reads {@code lr { peak, warmup-steps, schedule, min }} with the total from {@code steps}. */
  public static LearningRateSchedule fromConfig(Config lr, long totalSteps) {
    String shape = lr.getString("schedule");
    Shape s;
    try {
      s = Shape.valueOf(shape.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("train.lr.schedule must be constant or cosine, got '" + shape + "'");
    }
    return new LearningRateSchedule(lr.getDouble("peak"), lr.getLong("warmup-steps"), s, totalSteps, lr.getDouble("min"));
  }

  /** The rate of step {@code step} (0-based). */
  public double at(long step) {
    if (step < warmupSteps) {
      return peak * (step + 1) / warmupSteps;
    }
    if (shape == Shape.CONSTANT) {
      return peak;
    }
    double progress = Math.min(1.0, (double) (step - warmupSteps) / Math.max(1, totalSteps - warmupSteps));
    return minLr + (peak - minLr) * 0.5 * (1 + Math.cos(Math.PI * progress));
  }
}
