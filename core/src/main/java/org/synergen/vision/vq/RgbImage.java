package org.synergen.vision.vq;

import org.synergen.vision.image.BicubicResampler;

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

  /** This image resized to {@code outHeight} x {@code outWidth} with Pillow-exact bicubic. */
  public RgbImage resized(int outHeight, int outWidth) {
    int[] packed = new int[height * width];
    for (int i = 0; i < packed.length; i++) {
      packed[i] = (data[3 * i] & 0xff) << 16 | (data[3 * i + 1] & 0xff) << 8 | (data[3 * i + 2] & 0xff);
    }
    int[] out = BicubicResampler.resize(packed, width, height, outWidth, outHeight);
    byte[] bytes = new byte[out.length * 3];
    for (int i = 0; i < out.length; i++) {
      bytes[3 * i] = (byte) (out[i] >> 16);
      bytes[3 * i + 1] = (byte) (out[i] >> 8);
      bytes[3 * i + 2] = (byte) out[i];
    }
    return new RgbImage(outHeight, outWidth, bytes);
  }
}
