package org.synergen.ingest.image;

/**
 * Where a resize mode takes its pixels from and puts them: the source region (cropX, cropY,
 * cropW, cropH) is scaled to scaledW x scaledH and placed at (padX, padY) on a canvasW x canvasH
 * canvas (white where nothing is placed).
 */
record Geometry(int cropX, int cropY, int cropW, int cropH, int scaledW, int scaledH,
    int canvasW, int canvasH, int padX, int padY) {

  static Geometry of(int w, int h, int size, ResizeMode mode, boolean onlyIfBigger) {
    if (mode == ResizeMode.NO || (onlyIfBigger && w <= size && h <= size)) {
      return new Geometry(0, 0, w, h, w, h, w, h, 0, 0);
    }
    return switch (mode) {
      case KEEP_RATIO -> scaled(w, h, (double) size / Math.min(w, h));
      case KEEP_RATIO_LARGEST -> scaled(w, h, (double) size / Math.max(w, h));
      case CENTER_CROP -> {
        int m = Math.min(w, h);
        yield new Geometry((w - m) / 2, (h - m) / 2, m, m, size, size, size, size, 0, 0);
      }
      case BORDER -> {
        double s = (double) size / Math.max(w, h);
        int sw = Math.max(1, (int) Math.round(w * s));
        int sh = Math.max(1, (int) Math.round(h * s));
        yield new Geometry(0, 0, w, h, sw, sh, size, size, (size - sw) / 2, (size - sh) / 2);
      }
      case NO -> throw new AssertionError();
    };
  }

  private static Geometry scaled(int w, int h, double s) {
    int sw = Math.max(1, (int) Math.round(w * s));
    int sh = Math.max(1, (int) Math.round(h * s));
    return new Geometry(0, 0, w, h, sw, sh, sw, sh, 0, 0);
  }
}
