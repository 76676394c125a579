package org.synergen.train.distributed;

import java.util.Iterator;

/** A worker's batches for one round, and where its data continues after the batches taken so far. */
public interface Slice<B> extends Iterator<B> {
  SliceCursor cursor();

  /** Batches that are a pure function of the step: the cursor stays as it was. */
  static <B> Slice<B> of(Iterator<B> batches, SliceCursor cursor) {
    return new Slice<>() {
      @Override
      public boolean hasNext() {
        return batches.hasNext();
      }

      @Override
      public B next() {
        return batches.next();
      }

      @Override
      public SliceCursor cursor() {
        return cursor;
      }
    };
  }
}
