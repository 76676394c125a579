package org.synergen.train.distributed.toy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.synergen.train.distributed.DataSlices;
import org.synergen.train.distributed.Slice;
import org.synergen.train.distributed.SliceCursor;

/**
 * A synthetic regression set: x ~ N(0, 1), y = a fixed random linear teacher of x, plus a sine.
 * Worker p's batch of step s is drawn from a generator seeded by (seed, p, s): every worker has its
 * own slice, and any batch can be regenerated on its own (a pure function, as the contract wants).
 */
public final class ToyData implements DataSlices<ToyBatch> {
  private final int in;
  private final int out;
  private final int batchSize;

  public ToyData(int in, int out, int batchSize) {
    this.in = in;
    this.out = out;
    this.batchSize = batchSize;
  }

  @Override
  public Slice<ToyBatch> batches(int partition, int workers, long firstStep, int steps, long seed, SliceCursor from) {
    List<ToyBatch> list = new ArrayList<>();
    for (int s = 0; s < steps; s++) {
      list.add(batch(partition, firstStep + s, seed));
    }
    return Slice.of(list.iterator(), from);
  }

  public ToyBatch batch(int partition, long step, long seed) {
    SplittableRandom teacher = new SplittableRandom(seed);
    float[] w = new float[out * in];
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) (teacher.nextGaussian() / Math.sqrt(in));
    }
    SplittableRandom r = new SplittableRandom(seed * 1_000_003L + partition * 7_919L + step * 104_729L + 17);
    float[] x = new float[batchSize * in];
    float[] y = new float[batchSize * out];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) r.nextGaussian();
    }
    for (int b = 0; b < batchSize; b++) {
      for (int o = 0; o < out; o++) {
        double v = 0;
        for (int k = 0; k < in; k++) {
          v += w[o * in + k] * x[b * in + k];
        }
        y[b * out + o] = (float) (v + Math.sin(x[b * in + o % in]));
      }
    }
    return new ToyBatch(batchSize, x, y);
  }
}
