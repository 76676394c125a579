package org.synergen.vision.tiling;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The candidate grids of InternVL-1.5's dynamic_preprocess, in its exact order.
 *
 * <p>InternVL builds a Python {@code set} of (i, j) with min <= i*j <= max and sorts it by i*j.
 * The sort is stable, so grids of equal area keep the set's iteration order, which is CPython's
 * hash-table slot order. That order decides the winner when two grids of equal area are equally
 * close to the image's aspect ratio, so it is reproduced here: CPython's (3.8+) tuple hash and its
 * set insertion, resizing and probing, fed with the same generator sequence.
 */
final class CandidateGrids {
  private static final long XXPRIME_1 = 0x9E3779B185EBCA87L;
  private static final long XXPRIME_2 = 0xC2B2AE3D27D4EB4FL;
  private static final long XXPRIME_5 = 0x27D4EB2F165667C5L;
  private static final int LINEAR_PROBES = 9;
  private static final int PERTURB_SHIFT = 5;

  private CandidateGrids() {}

  static List<TileGrid> of(int minTiles, int maxTiles) {
    PySet set = new PySet();
    for (int n = minTiles; n <= maxTiles; n++) {
      for (int i = 1; i <= n; i++) {
        for (int j = 1; j <= n; j++) {
          if (i * j <= maxTiles && i * j >= minTiles) {
            set.add(new TileGrid(i, j));
          }
        }
      }
    }
    List<TileGrid> grids = set.inSlotOrder();
    grids.sort(Comparator.comparingInt(TileGrid::tiles)); // List.sort is stable, like Python's
    return grids;
  }

  /** CPython's hash of a 2-tuple of small non-negative ints (xxHash-based, Python 3.8+). */
  static long tupleHash(int a, int b) {
    long acc = XXPRIME_5;
    for (long lane : new long[] {a, b}) {
      acc += lane * XXPRIME_2;
      acc = Long.rotateLeft(acc, 31);
      acc *= XXPRIME_1;
    }
    acc += 2L ^ (XXPRIME_5 ^ 3527539L);
    return acc == -1 ? 1546275796L : acc;
  }

  /** Just enough of CPython's setobject.c to know where each key lands. */
  private static final class PySet {
    private TileGrid[] keys = new TileGrid[8];
    private long[] hashes = new long[8];
    private int fill;

    void add(TileGrid g) {
      long hash = tupleHash(g.cols(), g.rows());
      int mask = keys.length - 1;
      long perturb = hash;
      int i = (int) (hash & mask);
      while (true) {
        int probes = (i + LINEAR_PROBES <= mask) ? LINEAR_PROBES : 0;
        for (int k = 0; k <= probes; k++) {
          int slot = i + k;
          if (keys[slot] == null) {
            keys[slot] = g;
            hashes[slot] = hash;
            fill++;
            if ((long) fill * 5 >= (long) mask * 3) {
              resize(fill > 50000 ? fill * 2 : fill * 4);
            }
            return;
          }
          if (hashes[slot] == hash && keys[slot].equals(g)) {
            return;
          }
        }
        perturb >>>= PERTURB_SHIFT;
        i = (int) ((i * 5L + 1 + perturb) & mask);
      }
    }

    private void resize(int minUsed) {
      int size = 8;
      while (size <= minUsed) {
        size <<= 1;
      }
      TileGrid[] oldKeys = keys;
      long[] oldHashes = hashes;
      keys = new TileGrid[size];
      hashes = new long[size];
      int mask = size - 1;
      for (int s = 0; s < oldKeys.length; s++) {
        if (oldKeys[s] != null) {
          insertClean(oldKeys[s], oldHashes[s], mask);
        }
      }
    }

    private void insertClean(TileGrid g, long hash, int mask) {
      long perturb = hash;
      int i = (int) (hash & mask);
      while (true) {
        if (keys[i] == null) {
          keys[i] = g;
          hashes[i] = hash;
          return;
        }
        if (i + LINEAR_PROBES <= mask) {
          for (int k = 1; k <= LINEAR_PROBES; k++) {
            if (keys[i + k] == null) {
              keys[i + k] = g;
              hashes[i + k] = hash;
              return;
            }
          }
        }
        perturb >>>= PERTURB_SHIFT;
        i = (int) ((i * 5L + 1 + perturb) & mask);
      }
    }

    List<TileGrid> inSlotOrder() {
      List<TileGrid> out = new ArrayList<>();
      for (TileGrid k : keys) {
        if (k != null) {
          out.add(k);
        }
      }
      return out;
    }
  }
}
