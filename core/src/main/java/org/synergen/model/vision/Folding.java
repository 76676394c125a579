package org.synergen.model.vision;

/**
 * Token folding on the id level: cuts an image's VQ id grid into m x n blocks and lists each
 * block's ids with their 2-D position indices, and puts unfolded blocks back into a grid.
 *
 * <p>Blocks are numbered in raster order over the grid (one LLM token each, in this order), and
 * the ids inside a block in raster order too: slot s = r * n + c holds grid cell
 * (blockRow * m + r, blockCol * n + c).
 */
public final class Folding {
  private Folding() {}

  /**
   * @param ids folded ids, blocks * m * n, block after block
   * @param pos position-table index of each id: gridRow * maxGridCols + gridCol
   */
  public record Folded(int blocks, int[] ids, int[] pos) {}

  /**
   * @param grid        row-major ids, rows * cols
   * @param maxGridCols width of the 2-D position table (ModelConfig.Vision.maxGridCols)
   */
  public static Folded fold(int[] grid, int rows, int cols, int m, int n, int maxGridCols) {
    if (grid.length != rows * cols) {
      throw new IllegalArgumentException("grid has " + grid.length + " ids, expected " + rows + "x" + cols);
    }
    if (rows % m != 0 || cols % n != 0) {
      throw new IllegalArgumentException(
          "grid " + rows + "x" + cols + " is not divisible into " + m + "x" + n + " folding blocks");
    }
    if (cols > maxGridCols) {
      throw new IllegalArgumentException("grid width " + cols + " exceeds the position table's " + maxGridCols);
    }
    int blocks = (rows / m) * (cols / n);
    int[] ids = new int[blocks * m * n];
    int[] pos = new int[ids.length];
    int k = 0;
    for (int br = 0; br < rows / m; br++) {
      for (int bc = 0; bc < cols / n; bc++) {
        for (int r = 0; r < m; r++) {
          for (int c = 0; c < n; c++) {
            int gr = br * m + r;
            int gc = bc * n + c;
            ids[k] = grid[gr * cols + gc];
            pos[k] = gr * maxGridCols + gc;
            k++;
          }
        }
      }
    }
    return new Folded(blocks, ids, pos);
  }

  /** Inverse of {@link #fold}'s id order: block-ordered ids back to a row-major rows x cols grid. */
  public static int[] unfold(int[] ids, int rows, int cols, int m, int n) {
    if (ids.length != rows * cols || rows % m != 0 || cols % n != 0) {
      throw new IllegalArgumentException(
          ids.length + " ids do not fill a " + rows + "x" + cols + " grid of " + m + "x" + n + " blocks");
    }
    int[] grid = new int[ids.length];
    int k = 0;
    for (int br = 0; br < rows / m; br++) {
      for (int bc = 0; bc < cols / n; bc++) {
        for (int r = 0; r < m; r++) {
          for (int c = 0; c < n; c++) {
            grid[(br * m + r) * cols + bc * n + c] = ids[k++];
          }
        }
      }
    }
    return grid;
  }
}
