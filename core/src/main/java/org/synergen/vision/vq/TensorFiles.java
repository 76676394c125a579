package org.synergen.vision.vq;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Minimal safetensors and .npy reading/writing for the VQ tokenizer, written while the shared io
 * package was not there yet (to be replaced by org.synergen.io when it lands).
 */
public final class TensorFiles {
  private TensorFiles() {}

  /** All floating-point tensors of a .safetensors file as float32 (F32, F16, BF16); others skipped. */
  public static Map<String, INDArray> readSafetensors(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      readFully(ch, len, 0);
      long headerLen = len.flip().getLong();
      if (headerLen <= 0 || headerLen > 100_000_000 || headerLen + 8 > ch.size()) {
        throw new IOException(file + ": not a safetensors file (header length " + headerLen + ")");
      }
      ByteBuffer header = ByteBuffer.allocate((int) headerLen);
      readFully(ch, header, 8);
      JsonNode root = new ObjectMapper().readTree(new String(header.array(), StandardCharsets.UTF_8));
      Map<String, INDArray> out = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (e.getKey().equals("__metadata__")) {
          continue;
        }
        String dtype = e.getValue().get("dtype").asText();
        JsonNode shapeNode = e.getValue().get("shape");
        long[] shape = new long[shapeNode.size()];
        long n = 1;
        for (int i = 0; i < shape.length; i++) {
          shape[i] = shapeNode.get(i).asLong();
          n *= shape[i];
        }
        long begin = e.getValue().get("data_offsets").get(0).asLong();
        long end = e.getValue().get("data_offsets").get(1).asLong();
        int width = switch (dtype) {
          case "F32" -> 4;
          case "F16", "BF16" -> 2;
          default -> 0;
        };
        if (width == 0) {
          continue; // integer bookkeeping such as BatchNorm's num_batches_tracked
        }
        if (end - begin != n * width) {
          throw new IOException(file + ": tensor '" + e.getKey() + "' has " + (end - begin)
              + " bytes, shape and dtype imply " + n * width);
        }
        ByteBuffer data = ByteBuffer.allocate(Math.toIntExact(end - begin)).order(ByteOrder.LITTLE_ENDIAN);
        readFully(ch, data, 8 + headerLen + begin);
        data.flip();
        float[] values = new float[(int) n];
        for (int i = 0; i < n; i++) {
          values[i] = switch (dtype) {
            case "F32" -> data.getFloat();
            case "F16" -> halfToFloat(data.getShort());
            default -> Float.intBitsToFloat((data.getShort() & 0xffff) << 16);
          };
        }
        out.put(e.getKey(), Nd4j.create(values, shape.length == 0 ? new long[0] : shape, 'c'));
      }
      return out;
    }
  }

  /** Writes float32 tensors as a .safetensors file, in the map's order. */
  public static void writeSafetensors(Path file, Map<String, INDArray> tensors) throws IOException {
    ObjectMapper m = new ObjectMapper();
    ObjectNode header = m.createObjectNode();
    long offset = 0;
    for (Map.Entry<String, INDArray> e : tensors.entrySet()) {
      ObjectNode t = header.putObject(e.getKey());
      t.put("dtype", "F32");
      for (long s : e.getValue().shape()) {
        t.withArray("shape").add(s);
      }
      t.putArray("data_offsets").add(offset).add(offset + 4 * e.getValue().length());
      offset += 4 * e.getValue().length();
    }
    byte[] json = m.writeValueAsBytes(header);
    int padded = (json.length + 7) / 8 * 8;
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
      head.putLong(padded).put(json);
      while (head.position() < head.capacity()) {
        head.put((byte) ' ');
      }
      writeFully(ch, head.flip());
      for (INDArray a : tensors.values()) {
        float[] v = a.castTo(DataType.FLOAT).dup('c').data().asFloat();
        ByteBuffer buf = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(v);
        writeFully(ch, buf);
      }
    }
  }

  private static final Pattern NPY_HEADER = Pattern.compile(
      "'descr':\\s*'([<>|]?)(\\w+)'.*'fortran_order':\\s*(True|False).*'shape':\\s*\\(([^)]*)\\)");

  /** A little-endian .npy array of f4, f8, i4, i8, u1 (C order) as FLOAT or INT64. */
  public static INDArray readNpy(Path file) throws IOException {
    byte[] all = Files.readAllBytes(file);
    if (all.length < 10 || all[0] != (byte) 0x93 || !new String(all, 1, 5, StandardCharsets.US_ASCII).equals("NUMPY")) {
      throw new IOException(file + ": not a .npy file");
    }
    ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
    int major = all[6];
    int headerLen = major == 1 ? Short.toUnsignedInt(b.getShort(8)) : b.getInt(8);
    int dataStart = (major == 1 ? 10 : 12) + headerLen;
    String header = new String(all, major == 1 ? 10 : 12, headerLen, StandardCharsets.US_ASCII);
    Matcher m = NPY_HEADER.matcher(header);
    if (!m.find() || m.group(1).equals(">") || m.group(3).equals("True")) {
      throw new IOException(file + ": unsupported .npy header " + header.trim()
          + " (need a little-endian C-order array)");
    }
    String[] dims = m.group(4).split(",");
    long[] shape = java.util.Arrays.stream(dims).map(String::trim).filter(s -> !s.isEmpty())
        .mapToLong(Long::parseLong).toArray();
    int n = Math.toIntExact(java.util.Arrays.stream(shape).reduce(1, (x, y) -> x * y));
    b.position(dataStart);
    String descr = m.group(2);
    switch (descr) {
      case "f4", "f8": {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
          v[i] = descr.equals("f4") ? b.getFloat() : (float) b.getDouble();
        }
        return Nd4j.create(v, shape, 'c');
      }
      case "i4", "i8", "u1": {
        long[] v = new long[n];
        for (int i = 0; i < n; i++) {
          v[i] = descr.equals("i8") ? b.getLong() : descr.equals("i4") ? b.getInt() : Byte.toUnsignedInt(b.get());
        }
        return Nd4j.createFromArray(v).reshape(shape);
      }
      default:
        throw new IOException(file + ": unsupported .npy dtype '" + descr + "' (need f4, f8, i4, i8 or u1)");
    }
  }

  /** Writes a FLOAT array as '<f4' or an integer array as '<i8' .npy (C order). */
  public static void writeNpy(Path file, INDArray a) throws IOException {
    boolean isFloat = a.dataType().isFPType();
    StringBuilder shape = new StringBuilder();
    for (long s : a.shape()) {
      shape.append(s).append(", ");
    }
    if (a.rank() > 1) {
      shape.setLength(shape.length() - 2);
    }
    String dict = "{'descr': '" + (isFloat ? "<f4" : "<i8") + "', 'fortran_order': False, 'shape': ("
        + shape.toString().trim() + "), }";
    int total = 10 + dict.length() + 1;
    String header = dict + " ".repeat((64 - total % 64) % 64) + "\n";
    ByteBuffer buf = ByteBuffer.allocate(10 + header.length() + (int) a.length() * (isFloat ? 4 : 8))
        .order(ByteOrder.LITTLE_ENDIAN);
    buf.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
    buf.putShort((short) header.length()).put(header.getBytes(StandardCharsets.US_ASCII));
    INDArray c = a.dup('c').reshape(-1);
    for (long i = 0; i < c.length(); i++) {
      if (isFloat) {
        buf.putFloat(c.getFloat(i));
      } else {
        buf.putLong(c.getLong(i));
      }
    }
    Files.write(file, buf.array());
  }

  /** IEEE 754 binary16 -> float32 (exact; JDK 17 has no Float.float16ToFloat). */
  static float halfToFloat(short bits) {
    int sign = (bits & 0x8000) << 16;
    int exp = (bits >> 10) & 0x1f;
    int mant = bits & 0x3ff;
    if (exp == 0x1f) {
      return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
    }
    if (exp == 0) {
      float v = mant * 0x1p-24f; // subnormal: mant * 2^-24
      return sign == 0 ? v : -v;
    }
    return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
  }

  private static void readFully(FileChannel ch, ByteBuffer buf, long pos) throws IOException {
    while (buf.hasRemaining()) {
      int r = ch.read(buf, pos + buf.position());
      if (r < 0) {
        throw new IOException("unexpected end of file");
      }
    }
  }

  private static void writeFully(FileChannel ch, ByteBuffer buf) throws IOException {
    while (buf.hasRemaining()) {
      ch.write(buf);
    }
  }
}
