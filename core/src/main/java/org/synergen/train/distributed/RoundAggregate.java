package org.synergen.train.distributed;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * The treeAggregate accumulator of one round: the order-independent sum of what is averaged, each
 * worker's report and data cursor, and (DiLoCo) each worker's own inner optimizer state.
 *
 * <p>Under {@link OuterUpdate#AVERAGE} the sum holds the trainable parameters under
 * {@code param/} and the optimizer tensors under {@code opt/}; under {@link OuterUpdate#DILOCO}
 * only the parameters, and the optimizer states are kept per partition.
 */
final class RoundAggregate implements Serializable {
  private static final long serialVersionUID = 1L;
  static final String PARAM = "param/";
  static final String OPT = "opt/";

  private final OuterUpdate mode;
  private final PartitionTreeSum sum;
  private final TreeMap<Integer, WorkerReport> reports = new TreeMap<>();
  private final TreeMap<Integer, OptimizerState> optimizers = new TreeMap<>();
  private final TreeMap<Integer, SliceCursor> cursors = new TreeMap<>();

  RoundAggregate(OuterUpdate mode, int workers) {
    this.mode = mode;
    this.sum = new PartitionTreeSum(workers);
  }

  RoundAggregate add(WorkerOutput out) {
    LocalResult r = out.result();
    WorkerState end = r.end();
    if (mode == OuterUpdate.AVERAGE) {
      sum.addLeaf(out.partition(), end.trainable().prefixed(PARAM).plus(end.optimizer().tensors().prefixed(OPT)));
    } else {
      sum.addLeaf(out.partition(), end.trainable());
      optimizers.put(out.partition(), end.optimizer());
    }
    cursors.put(out.partition(), out.cursor());
    reports.put(out.partition(), new WorkerReport(out.partition(), r.losses(), r.taskLosses(), r.gradNorms(), r.learningRate(),
        r.examples(), r.tokens(), end.optimizer().steps(), out.readNanos(), out.computeNanos(), out.nonFiniteTensor()));
    return this;
  }

  RoundAggregate merge(RoundAggregate other) {
    sum.merge(other.sum);
    reports.putAll(other.reports);
    optimizers.putAll(other.optimizers);
    cursors.putAll(other.cursors);
    return this;
  }

  TensorSet total() {
    return sum.total();
  }

  /** Reports in partition order. */
  List<WorkerReport> reports() {
    return new ArrayList<>(reports.values());
  }

  /** Per-worker optimizer states in partition order (DiLoCo). */
  List<OptimizerState> optimizers() {
    return new ArrayList<>(optimizers.values());
  }

  /** Each worker's data cursor after the round, in partition order. */
  List<SliceCursor> cursors() {
    return new ArrayList<>(cursors.values());
  }
}
