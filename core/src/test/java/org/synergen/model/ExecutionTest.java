package org.synergen.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.synergen.config.ModelConfig;
import org.synergen.model.nn.Execution;

/**
 * The ways of executing a step ({@link Execution}) compute the same function, in float32 on the
 * tiny config and the packed mixed batch: blockwise attention against the dense reference, row
 * chunks of the heads against one chunk holding every row, activation checkpointing against none.
 */
class ExecutionTest {
  private final ModelConfig cfg = TestConfigs.tiny(2, 4);
  private final Batch batch = TestBatches.mixed(cfg, 5);
  /** The step as it was before blocks, chunks and checkpoints: dense attention, every row at once. */
  private final Execution reference = new Execution(true, 1, false, Integer.MAX_VALUE);

  @Test
  void blockwiseAttentionMatchesDense() {
    Execution blockwise = reference.withDenseAttention(false).withAttentionBlock(4);
    assertClose(run(reference), run(blockwise), 1e-5);
    SynerGenModel model = model();
    int[] tokens = {3, 9, 4, 11, 4, 7, 2, 15, 6, 1, 12};
    model.setExecution(reference);
    INDArray dense = model.textLogits(tokens).dup();
    model.setExecution(blockwise);
    double diff = dense.sub(model.textLogits(tokens)).amaxNumber().doubleValue();
    assertTrue(diff < 1e-5, "logits differ by " + diff);
  }

  @Test
  void headChunksMatchOneChunk() {
    // 3 text rows and 1 block per chunk (head chunk 8 / fold size 8): several chunks per head
    assertClose(run(reference), run(reference.withHeadChunkRows(3)), 1e-5);
    assertClose(run(reference), run(reference.withHeadChunkRows(8)), 1e-5);
  }

  @Test
  void checkpointedLayersGiveIdenticalGradients() {
    Execution plain = Execution.DEFAULT.withAttentionBlock(4);
    assertClose(run(plain), run(plain.withCheckpointLayers(true)), 0);
    assertClose(run(reference), run(reference.withCheckpointLayers(true)), 0);
  }

  private SynerGenModel model() {
    SynerGenModel model = SynerGenModel.create(cfg, 3, DataType.FLOAT);
    GradientCheckTest.randomize(model, 11);
    return model;
  }

  /** Loss total first (key "loss"), then every gradient, copied. */
  private Map<String, INDArray> run(Execution execution) {
    SynerGenModel model = model();
    model.setExecution(execution);
    Loss loss = model.forwardBackward(batch, 2.0);
    assertTrue(loss.textTargets() > 0 && loss.imageTargets() > 0);
    Map<String, INDArray> out = new LinkedHashMap<>();
    out.put("loss", org.nd4j.linalg.factory.Nd4j.scalar(loss.total()));
    model.gradients().forEach((name, g) -> out.put(name, g.dup()));
    return out;
  }

  private static void assertClose(Map<String, INDArray> want, Map<String, INDArray> got, double tol) {
    assertEquals(want.keySet(), got.keySet());
    for (String name : want.keySet()) {
      double diff = want.get(name).sub(got.get(name)).amaxNumber().doubleValue();
      assertTrue(diff <= tol, name + ": max abs diff " + diff + " > " + tol);
    }
  }
}
