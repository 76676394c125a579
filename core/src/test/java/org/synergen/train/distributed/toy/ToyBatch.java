package org.synergen.train.distributed.toy;

import java.io.Serializable;

/** Inputs [n, in] and regression targets [n, out], row-major. */
public record ToyBatch(int n, float[] x, float[] y) implements Serializable {}
