package org.synergen.model.vision;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class FoldingTest {

  /** A 4x8 grid whose cell (r, c) holds 10*r + c, folded 2x4: worked out by hand. */
  @Test
  void fold2x4RasterInsideAndAcrossBlocks() {
    int[] grid = new int[32];
    for (int r = 0; r < 4; r++) {
      for (int c = 0; c < 8; c++) {
        grid[r * 8 + c] = 10 * r + c;
      }
    }
    Folding.Folded f = Folding.fold(grid, 4, 8, 2, 4, 16);
    assertArrayEquals(new int[] {
        0, 1, 2, 3, 10, 11, 12, 13, // block (0,0)
        4, 5, 6, 7, 14, 15, 16, 17, // block (0,1)
        20, 21, 22, 23, 30, 31, 32, 33, // block (1,0)
        24, 25, 26, 27, 34, 35, 36, 37}, f.ids());
    // position index = row * 16 + col in a 16-column table
    assertArrayEquals(new int[] {4, 5, 6, 7, 20, 21, 22, 23}, java.util.Arrays.copyOfRange(f.pos(), 8, 16));
    assertArrayEquals(grid, Folding.unfold(f.ids(), 4, 8, 2, 4));
  }

  @Test
  void fold2x8RoundTripsAndRejectsRaggedGrids() {
    int[] grid = new int[4 * 16];
    for (int i = 0; i < grid.length; i++) {
      grid[i] = (i * 7) % 50;
    }
    Folding.Folded f = Folding.fold(grid, 4, 16, 2, 8, 16);
    assertArrayEquals(new int[] {0, 7, 14, 21, 28, 35, 42, 49, (16 * 7) % 50, (17 * 7) % 50,
        (18 * 7) % 50, (19 * 7) % 50, (20 * 7) % 50, (21 * 7) % 50, (22 * 7) % 50, (23 * 7) % 50},
        java.util.Arrays.copyOfRange(f.ids(), 0, 16));
    assertArrayEquals(grid, Folding.unfold(f.ids(), 4, 16, 2, 8));
    assertThrows(IllegalArgumentException.class, () -> Folding.fold(new int[12], 3, 4, 2, 4, 16));
  }
}
