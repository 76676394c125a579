package org.synergen.vision.vq;

import org.nd4j.autodiff.samediff.SDVariable;

/**
 * A feature map in a graph under construction: [batch, c, h, w] with its sizes known while the
 * graph is built (group norm and attention reshape by them).
 */
record Fmap(SDVariable v, long c, long h, long w) {

  Fmap with(SDVariable next) {
    return new Fmap(next, c, h, w);
  }

  Fmap with(SDVariable next, long channels) {
    return new Fmap(next, channels, h, w);
  }
}
