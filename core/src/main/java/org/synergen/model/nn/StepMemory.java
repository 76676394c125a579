package org.synergen.model.nn;

import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.memory.enums.SpillPolicy;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Where the temporaries of a training step live: per-thread ND4J workspaces, reused from step to
 * step, instead of a fresh off-heap buffer per temporary.
 *
 * <p>Why: a fresh buffer is freed only when Java's GC finds its wrapper, so each bench step faulted
 * ~1 GB of new pages into the process and spent about as much CPU time in the kernel zeroing them
 * as in the math. A workspace learns its size in its first cycle and grows when a later cycle needs
 * more; its memory stays mapped.
 *
 * <p>Two levels: {@link #step} holds everything of one forward/backward pass (the activations that
 * backward reads included); {@link #layerScratch}, opened inside it, holds one layer's backward
 * temporaries (and, with activation checkpointing, its forward activations) and is reset for the
 * next layer, so the step does not keep every layer's garbage until its end. Gradient buffers outlive steps and are allocated outside both
 * ({@link Parameters#grad}).
 */
public final class StepMemory {
  private static final WorkspaceConfiguration CONFIG = WorkspaceConfiguration.builder()
      .policyAllocation(AllocationPolicy.OVERALLOCATE)
      .overallocationLimit(0.1)
      .policyLearning(LearningPolicy.FIRST_LOOP)
      .policySpill(SpillPolicy.REALLOCATE)
      .build();
  private static final String STEP = "synergen-step";
  private static final String LAYER_SCRATCH = "synergen-layer-scratch";
  private static final String HEAD_CHUNK = "synergen-head-chunk";
  private static final String ATTENTION_BLOCK = "synergen-attention-block";
  private static final String OPTIMIZER = "synergen-optimizer";

  private StepMemory() {}

  /** Activates the workspace of one forward/backward pass; close it when the pass is done. */
  public static MemoryWorkspace step() {
    return Nd4j.getWorkspaceManager().getAndActivateWorkspace(CONFIG, STEP);
  }

  /**
   * Activates the scratch workspace of one layer's backward pass (or checkpointed forward pass).
   * What the layer returns must be copied out with {@code detach()} before it closes ({@code leverage()} into the step workspace
   * corrupted the native heap in M2.1: GradientCheckTest crashed with "malloc(): corrupted top size").
   */
  static MemoryWorkspace layerScratch() {
    return Nd4j.getWorkspaceManager().getAndActivateWorkspace(CONFIG, LAYER_SCRATCH);
  }

  /** Activates the scratch workspace of one chunk of rows through an output head ({@link ChunkedHeadLoss}). */
  static MemoryWorkspace headChunk() {
    return Nd4j.getWorkspaceManager().getAndActivateWorkspace(CONFIG, HEAD_CHUNK);
  }

  /** Activates the scratch workspace of one query block of {@link BlockwiseAttention}. */
  static MemoryWorkspace attentionBlock() {
    return Nd4j.getWorkspaceManager().getAndActivateWorkspace(CONFIG, ATTENTION_BLOCK);
  }

  /**
   * Activates the scratch workspace of one tensor's optimizer update (its temporaries only; the
   * parameters and moments it writes live outside every workspace).
   */
  public static MemoryWorkspace optimizerScratch() {
    return Nd4j.getWorkspaceManager().getAndActivateWorkspace(CONFIG, OPTIMIZER);
  }
}
