package org.synergen.train.distributed;

import java.io.Serializable;
import java.util.TreeMap;

/**
 * An element-wise sum of one {@link TensorSet} per partition whose float result does not depend
 * on the order in which partial sums meet.
 *
 * <p>Why: Spark's treeAggregate merges partial results in arrival order (shuffle fetch order, task
 * completion order at the driver), and float addition is not associative, so a plain running sum
 * could differ in the last bit between a run and its retry. Here every value is a node of one fixed
 * binary tree over partitions 0..n-1 (leaf p at level 0; node i at level l covers the aligned block
 * i*2^l ..): a node is only ever formed as left child + right child, whatever order they arrive in.
 * Partial sums wait in {@code pending} until their sibling turns up.
 */
final class PartitionTreeSum implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int leaves;
  /** key = level << 32 | index; at most one value per node. */
  private final TreeMap<Long, TensorSet> pending = new TreeMap<>();

  PartitionTreeSum(int leaves) {
    if (leaves < 1) {
      throw new IllegalArgumentException("need at least one partition, got " + leaves);
    }
    this.leaves = leaves;
  }

  /** Adds partition {@code p}'s values; this sum takes ownership of their arrays. */
  void addLeaf(int p, TensorSet value) {
    if (p < 0 || p >= leaves) {
      throw new IllegalArgumentException("partition " + p + " outside 0.." + (leaves - 1));
    }
    insert(0, p, value);
  }

  /** Moves {@code other}'s partial sums into this one. */
  PartitionTreeSum merge(PartitionTreeSum other) {
    if (other.leaves != leaves) {
      throw new IllegalArgumentException("merging sums over " + leaves + " and " + other.leaves + " partitions");
    }
    other.pending.forEach((key, value) -> insert((int) (key >>> 32), key & 0xffffffffL, value));
    other.pending.clear();
    return this;
  }

  /** The sum over all partitions; fails if a partition is missing. */
  TensorSet total() {
    int rootLevel = 0;
    while (nodesAt(rootLevel) > 1) {
      rootLevel++;
    }
    TensorSet root = pending.get(key(rootLevel, 0));
    if (root == null || pending.size() != 1) {
      throw new IllegalStateException("sum incomplete: " + pending.size() + " partial sums pending " + pending.keySet());
    }
    return root;
  }

  private long nodesAt(int level) {
    return (leaves + (1L << level) - 1) >> level;
  }

  private void insert(int level, long index, TensorSet value) {
    while (nodesAt(level) > 1) {
      long sibling = index ^ 1;
      if (sibling < nodesAt(level)) {
        TensorSet other = pending.remove(key(level, sibling));
        if (other == null) {
          break;
        }
        value = index < sibling ? addInto(value, other) : addInto(other, value);
      }
      // a node without a sibling (the last one of an odd level) moves up unchanged
      level++;
      index >>= 1;
    }
    if (pending.putIfAbsent(key(level, index), value) != null) {
      throw new IllegalStateException("partition block (level " + level + ", index " + index + ") arrived twice");
    }
  }

  private static long key(int level, long index) {
    return ((long) level << 32) | index;
  }

  /** left += right, element-wise; returns left. */
  private static TensorSet addInto(TensorSet left, TensorSet right) {
    left.requireSameLayout(right, "summing worker results");
    for (String name : left.names()) {
      float[] a = left.get(name);
      float[] b = right.get(name);
      for (int i = 0; i < a.length; i++) {
        a[i] += b[i];
      }
    }
    return left;
  }
}
