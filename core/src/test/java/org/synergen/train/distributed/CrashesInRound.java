package org.synergen.train.distributed;

import java.util.Iterator;

/**
 * A local trainer whose every attempt of one round throws, so the whole job dies there as a lost
 * driver would end it; every other round runs the wrapped trainer. Used by the resume proofs.
 */
public final class CrashesInRound<B> implements LocalTrainer<B> {
  private final LocalTrainer<B> delegate;
  private final int round;

  public CrashesInRound(int round, LocalTrainer<B> delegate) {
    this.round = round;
    this.delegate = delegate;
  }

  @Override
  public LocalResult train(TensorSet frozen, WorkerState start, Iterator<B> batches, StepWindow w) {
    if (w.round() == round) {
      throw new IllegalStateException("injected crash in round " + round);
    }
    return delegate.train(frozen, start, batches, w);
  }
}
