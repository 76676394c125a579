package org.synergen.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * NumPy's {@code .npy} format (version 1.0 written; 1.0-3.0 read): a magic string, a Python-dict
 * header {@code {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }} padded to 64 bytes,
 * then the little-endian elements in C order. Written types: float32 ({@code <f4}) and int64
 * ({@code <i8}); read types: those plus float64 and int32. Meant for logits, token lists and test
 * fixtures, i.e. arrays that fit in memory.
 */
public final class Npy {

  /** An array read from or written to .npy without ND4J, for callers that only need raw values. */
  public record Array(String descr, long[] shape, ByteBuffer data) {}

  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
  private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

  private Npy() {}

  /** Writes a float32 (FLOAT) or int64 (LONG) array; other ND4J types are refused. */
  public static void write(Path file, INDArray array) throws IOException {
    INDArray c = array.ordering() == 'c' && !array.isView() ? array : array.dup('c');
    switch (array.dataType()) {
      case FLOAT -> writeFloats(file, c.data().asFloat(), array.shape());
      case LONG -> writeLongs(file, c.data().asLong(), array.shape());
      default -> throw new IllegalArgumentException("Npy.write takes float32 or int64 arrays, not "
          + array.dataType() + "; cast first");
    }
  }

  public static void writeFloats(Path file, float[] values, long... shape) throws IOException {
    checkLength(values.length, shape);
    ByteBuffer data = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    data.asFloatBuffer().put(values);
    writeRaw(file, "<f4", shape, data.array());
  }

  public static void writeLongs(Path file, long[] values, long... shape) throws IOException {
    checkLength(values.length, shape);
    ByteBuffer data = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    data.asLongBuffer().put(values);
    writeRaw(file, "<i8", shape, data.array());
  }

  private static void checkLength(long length, long[] shape) {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    if (n != length) {
      throw new IllegalArgumentException(
          "shape " + Arrays.toString(shape) + " holds " + n + " elements, not " + length);
    }
  }

  /** Writes float64 ({@code <f8}) values to a stream, e.g. an entry of an .npz zip. */
  public static void writeDoubles(OutputStream out, double[] values, long... shape) throws IOException {
    checkLength(values.length, shape);
    ByteBuffer data = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    data.asDoubleBuffer().put(values);
    writeRaw(out, "<f8", shape, data.array());
  }

  private static void writeRaw(Path file, String descr, long[] shape, byte[] data) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    try (OutputStream out = Files.newOutputStream(file)) {
      writeRaw(out, descr, shape, data);
    }
  }

  private static void writeRaw(OutputStream out, String descr, long[] shape, byte[] data) throws IOException {
    StringBuilder dims = new StringBuilder();
    for (long d : shape) {
      dims.append(d).append(", ");
    }
    if (shape.length > 1) {
      dims.setLength(dims.length() - 2); // (2, 3) but (5,) for one dimension, () for a scalar
    } else if (shape.length == 1) {
      dims.setLength(dims.length() - 1);
    }
    String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + dims + "), }";
    // magic(6) + version(2) + length(2) + dict + padding + '\n' must be a multiple of 64
    int unpadded = 10 + dict.length() + 1;
    int padding = (64 - unpadded % 64) % 64;
    String header = dict + " ".repeat(padding) + "\n";
    if (header.length() > 0xffff) {
      throw new IllegalArgumentException("shape too long for an .npy version 1.0 header");
    }
    out.write(MAGIC);
    out.write(new byte[] {1, 0, (byte) (header.length() & 0xff), (byte) (header.length() >>> 8)});
    out.write(header.getBytes(StandardCharsets.US_ASCII));
    out.write(data);
  }

  /** Reads the raw array: dtype string, shape and little-endian C-order bytes. */
  public static Array readRaw(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new NoSuchFileException(file.toString(), null, "no such .npy file");
    }
    return readRaw(Files.readAllBytes(file), file.toString());
  }

  /**
   * Reads the raw array from a whole .npy's bytes (e.g. an entry of an .npz zip).
   *
   * @param file names the source in error messages
   */
  public static Array readRaw(byte[] all, String file) throws FormatException {
    ByteBuffer buf = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
    if (all.length < 10 || !Arrays.equals(Arrays.copyOf(all, 6), MAGIC)) {
      throw new FormatException(file + ": not an .npy file (no \\x93NUMPY magic)");
    }
    int major = all[6];
    int headerLength;
    int headerStart;
    if (major == 1) {
      headerLength = buf.getShort(8) & 0xffff;
      headerStart = 10;
    } else if (major == 2 || major == 3) {
      headerLength = buf.getInt(8);
      headerStart = 12;
    } else {
      throw new FormatException(file + ": .npy format version " + major + " is not supported");
    }
    if (headerStart + (long) headerLength > all.length) {
      throw new FormatException(file + ": truncated .npy header");
    }
    String header = new String(all, headerStart, headerLength,
        major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    String descr = group(file, DESCR, header, "descr");
    if (group(file, FORTRAN, header, "fortran_order").equals("True")) {
      throw new FormatException(file + ": Fortran-ordered .npy arrays are not supported; save with "
          + "np.ascontiguousarray(a)");
    }
    String dims = group(file, SHAPE, header, "shape").trim();
    long[] shape = dims.isEmpty() ? new long[0] : Arrays.stream(dims.split(","))
        .map(String::trim).filter(s -> !s.isEmpty()).mapToLong(Long::parseLong).toArray();
    int itemSize = itemSize(file, descr);
    long elements = 1;
    for (long d : shape) {
      elements *= d;
    }
    int dataStart = headerStart + headerLength;
    if (all.length - dataStart != elements * itemSize) {
      throw new FormatException(file + ": shape " + Arrays.toString(shape) + " of " + descr + " needs "
          + elements * itemSize + " data bytes, the file has " + (all.length - dataStart));
    }
    ByteBuffer data = ByteBuffer.wrap(all, dataStart, all.length - dataStart).slice()
        .order(ByteOrder.LITTLE_ENDIAN);
    return new Array(descr, shape, data);
  }

  /** Reads float32, float64, int32 or int64 into an ND4J array of the same type. */
  public static INDArray read(Path file) throws IOException {
    Array a = readRaw(file);
    int n = a.data().remaining() / itemSize(file, a.descr());
    return switch (a.descr()) {
      case "<f4" -> {
        float[] v = new float[n];
        a.data().asFloatBuffer().get(v);
        yield Nd4j.create(v, a.shape(), 'c');
      }
      case "<f8" -> {
        double[] v = new double[n];
        a.data().asDoubleBuffer().get(v);
        yield Nd4j.create(v, a.shape(), 'c');
      }
      case "<i4" -> {
        int[] v = new int[n];
        a.data().asIntBuffer().get(v);
        yield Nd4j.createFromArray(v).reshape(a.shape());
      }
      case "<i8" -> {
        long[] v = new long[n];
        a.data().asLongBuffer().get(v);
        yield Nd4j.createFromArray(v).reshape(a.shape());
      }
      default -> throw new FormatException(file + ": dtype " + a.descr() + " is not supported");
    };
  }

  private static int itemSize(Object file, String descr) throws FormatException {
    return switch (descr) {
      case "<f4", "<i4" -> 4;
      case "<f8", "<i8" -> 8;
      default -> throw new FormatException(file + ": dtype '" + descr + "' is not supported (readable: "
          + "little-endian float32 <f4, float64 <f8, int32 <i4, int64 <i8)");
    };
  }

  private static String group(String file, Pattern p, String header, String key)
      throws FormatException {
    Matcher m = p.matcher(header);
    if (!m.find()) {
      throw new FormatException(file + ": .npy header has no '" + key + "': " + header.trim());
    }
    return m.group(1);
  }
}
