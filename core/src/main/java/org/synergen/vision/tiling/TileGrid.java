package org.synergen.vision.tiling;

/** A grid of {@code cols} x {@code rows} tiles (InternVL's aspect ratio pair (cols, rows)). */
public record TileGrid(int cols, int rows) {
  public int tiles() {
    return cols * rows;
  }

  @Override
  public String toString() {
    return cols + "x" + rows;
  }
}
