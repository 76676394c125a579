package org.synergen.vision.vq;

/**
 * An 8-bit RGB image, row-major with interleaved channels: {@code data[(y * width + x) * 3 + c]}.
 */
public record RgbImage(int height, int width, byte[] data) {

  public RgbImage {
    if ((long) height * width * 3 != data.length) {
      throw new IllegalArgumentException(height + "x" + width + " RGB needs " + (long) height * width * 3
          + " bytes, got " + data.length);
    }
  }

  /** Channel c of pixel (y, x), 0..255. */
  public int at(int y, int x, int c) {
    return data[(y * width + x) * 3 + c] & 0xff;
  }
}
