package org.synergen.vision.vq;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.synergen.io.Safetensors;

/**
 * Reads and writes the {@code model.safetensors} of a VQ tokenizer folder.
 *
 * <p>Reading is separate from {@link Safetensors#read} for one reason: Emu3's checkpoint holds
 * BatchNorm's {@code num_batches_tracked} counters as I64 tensors, which that reader refuses. Here
 * floating-point tensors (F32, F16, BF16) are read as float32 and integer bookkeeping is skipped.
 */
public final class VqCheckpoint {
  private VqCheckpoint() {}

  /** The floating-point tensors of a .safetensors file as float32, in file order. */
  public static Map<String, INDArray> read(Path file) throws IOException {
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
          case "I64", "I32" -> 0;
          default -> throw new IOException(file + ": tensor '" + e.getKey() + "' has dtype " + dtype
              + "; a VQ checkpoint holds F32, F16 or BF16 (and integer counters, which are skipped)");
        };
        if (width == 0) {
          continue; // BatchNorm's num_batches_tracked: not used at inference, not trained here
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

  /** Writes float32 tensors (HF names) as {@code file}. */
  public static void write(Path file, Map<String, INDArray> tensors) throws IOException {
    Safetensors.write(file, tensors, Map.of(), Safetensors.DType.F32);
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

}
