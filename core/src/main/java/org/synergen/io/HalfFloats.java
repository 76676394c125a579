package org.synergen.io;

/**
 * IEEE binary16 (F16) and bfloat16 (BF16) bit conversions to and from float32. Java 17 has no
 * built-in half type. Float -> half rounds to nearest, ties to even, as PyTorch and NumPy do, so a
 * tensor written here has the same bytes as one written by {@code safetensors} from Python.
 */
public final class HalfFloats {

  private HalfFloats() {}

  public static float bf16ToFloat(short bits) {
    return Float.intBitsToFloat((bits & 0xffff) << 16);
  }

  /** Round to nearest even; every NaN becomes the quiet NaN 0x7FC0 (PyTorch's choice). */
  public static short floatToBf16(float value) {
    int bits = Float.floatToRawIntBits(value);
    if ((bits & 0x7fffffff) > 0x7f800000) {
      return (short) 0x7fc0;
    }
    int lsb = (bits >>> 16) & 1;
    return (short) ((bits + 0x7fff + lsb) >>> 16);
  }

  public static float f16ToFloat(short bits) {
    int h = bits & 0xffff;
    int sign = (h & 0x8000) << 16;
    int exponent = (h >>> 10) & 0x1f;
    int mantissa = h & 0x3ff;
    if (exponent == 0) {
      // zero or subnormal: mantissa * 2^-24, exact in float32
      float magnitude = Math.scalb((float) mantissa, -24);
      return sign == 0 ? magnitude : -magnitude;
    }
    if (exponent == 31) {
      return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
    }
    return Float.intBitsToFloat(sign | ((exponent - 15 + 127) << 23) | (mantissa << 13));
  }

  /** Round to nearest even; overflow gives infinity; NaN keeps its top mantissa bits (quiet). */
  public static short floatToF16(float value) {
    int bits = Float.floatToRawIntBits(value);
    int sign = (bits >>> 16) & 0x8000;
    int abs = bits & 0x7fffffff;
    if (abs >= 0x7f800000) {
      int nan = abs > 0x7f800000 ? 0x200 | ((abs >>> 13) & 0x3ff) : 0;
      return (short) (sign | 0x7c00 | nan);
    }
    int biasedExponent = abs >>> 23;
    int mantissa = abs & 0x7fffff;
    if (biasedExponent >= 113) { // a normal half: exponent >= -14
      int half = ((biasedExponent - 112) << 10) | (mantissa >>> 13);
      int rest = mantissa & 0x1fff;
      if (rest > 0x1000 || (rest == 0x1000 && (half & 1) == 1)) {
        half++; // a carry into the exponent is correct, up to infinity (0x7c00)
      }
      return (short) (sign | Math.min(half, 0x7c00));
    }
    if (biasedExponent < 102) { // below half the smallest subnormal (2^-25): rounds to zero
      return (short) sign;
    }
    // subnormal half: value in units of 2^-24
    int full = mantissa | 0x800000;
    int shift = 126 - biasedExponent;
    int half = full >>> shift;
    int rest = full & ((1 << shift) - 1);
    int tie = 1 << (shift - 1);
    if (rest > tie || (rest == tie && (half & 1) == 1)) {
      half++;
    }
    return (short) (sign | half);
  }
}
