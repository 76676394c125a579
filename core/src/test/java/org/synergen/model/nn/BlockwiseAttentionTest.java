package org.synergen.model.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.junit.jupiter.api.Test;

/**
 * Blockwise attention against the dense reference (the whole score matrix with an additive mask),
 * in float32, on two batch rows: one packing three samples (blocks that straddle sample boundaries,
 * a last block shorter than the others), one a single sample.
 */
class BlockwiseAttentionTest {
  private static final int HEADS = 3;
  private static final int T = 13;
  private static final int[] SEGMENTS = {
      0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 2, 2,
      5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5};

  @ParameterizedTest(name = "block {0}")
  @ValueSource(ints = {1, 4, 5, 13, 128})
  void matchesDenseAttentionInOutputAndGradients(int block) {
    Nd4j.getRandom().setSeed(7);
    SequenceLayout layout = new SequenceLayout(2, T, SEGMENTS);
    INDArray q = Nd4j.randn(DataType.FLOAT, 2 * HEADS, T, 4);
    INDArray k = Nd4j.randn(DataType.FLOAT, 2 * HEADS, T, 4);
    INDArray v = Nd4j.randn(DataType.FLOAT, 2 * HEADS, T, 4);
    INDArray dOut = Nd4j.randn(DataType.FLOAT, 2 * HEADS, T, 4);

    DenseAttention dense = new DenseAttention();
    INDArray want = dense.forward(q, k, v, layout, HEADS).dup();
    AttentionKernel.Grads wantGrads = dense.backward(dOut);
    BlockwiseAttention blockwise = new BlockwiseAttention(block);
    INDArray got = blockwise.forward(q, k, v, layout, HEADS);
    AttentionKernel.Grads gotGrads = blockwise.backward(dOut);

    assertClose("output", want, got);
    assertClose("dq", wantGrads.dq(), gotGrads.dq());
    assertClose("dk", wantGrads.dk(), gotGrads.dk());
    assertClose("dv", wantGrads.dv(), gotGrads.dv());
  }

  /** Hand-worked: a block reads keys from the start of its earliest sample among the batch rows. */
  @Test
  void blocksSkipKeysOfEarlierSamples() {
    SequenceLayout one = new SequenceLayout(1, T, java.util.Arrays.copyOf(SEGMENTS, T));
    int[] got = new int[T];
    for (int qs = 0; qs < T; qs++) {
      got[qs] = one.firstVisibleKey(qs);
    }
    assertArrayEquals(new int[] {0, 0, 0, 0, 0, 5, 5, 5, 5, 5, 5, 11, 11}, got);
    // row 1 is one sample, so with both rows every block reads from key 0
    assertArrayEquals(new int[] {0, 0}, new int[] {
        new SequenceLayout(2, T, SEGMENTS).firstVisibleKey(5), new SequenceLayout(2, T, SEGMENTS).firstVisibleKey(11)});
  }

  private static void assertClose(String what, INDArray want, INDArray got) {
    assertArrayEquals(want.shape(), got.shape(), what);
    double diff = want.sub(got).amaxNumber().doubleValue();
    assertTrue(diff < 1e-5, what + ": max abs diff " + diff);
  }
}
