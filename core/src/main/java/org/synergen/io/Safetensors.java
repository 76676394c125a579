package org.synergen.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The safetensors format (Hugging Face): an 8-byte little-endian header length, a JSON header
 * {@code {name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {str: str}}}, then the
 * raw little-endian tensor bytes. Every tensor is read into a float32 ND4J array (training runs in
 * float32; engine-notes.md) and streamed in chunks, so multi-GB files never sit on the Java heap.
 */
public final class Safetensors {

  /** Element types this code converts; any other dtype in a file is reported, not skipped. */
  public enum DType {
    F32(4),
    F16(2),
    BF16(2);

    public final int bytes;

    DType(int bytes) {
      this.bytes = bytes;
    }
  }

  /** Where one tensor's bytes lie, relative to the start of the data section. */
  public record TensorInfo(String name, DType dtype, long[] shape, long begin, long end) {
    public long elements() {
      long n = 1;
      for (long d : shape) {
        n *= d;
      }
      return n;
    }
  }

  /** A parsed header: tensors in file order, the free-form metadata, and where the data starts. */
  public record Header(Map<String, TensorInfo> tensors, Map<String, String> metadata, long dataStart) {}

  /** A file's tensors (file order, float32) and its {@code __metadata__}. */
  public record Contents(Map<String, INDArray> tensors, Map<String, String> metadata) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long MAX_HEADER_BYTES = 100L << 20; // the Rust reference rejects more too
  private static final int CHUNK_ELEMENTS = 1 << 20;

  private Safetensors() {}

  /** All tensors of a file as float32 arrays, in file order. */
  public static Map<String, INDArray> read(Path file) throws IOException {
    return readWithMetadata(file).tensors();
  }

  public static Contents readWithMetadata(Path file) throws IOException {
    try (FileChannel channel = open(file)) {
      Header header = readHeader(file, channel);
      Map<String, INDArray> tensors = new LinkedHashMap<>();
      for (TensorInfo info : header.tensors().values()) {
        tensors.put(info.name(), readTensor(channel, header, info));
      }
      return new Contents(tensors, header.metadata());
    }
  }

  public static Header readHeader(Path file) throws IOException {
    try (FileChannel channel = open(file)) {
      return readHeader(file, channel);
    }
  }

  private static FileChannel open(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new NoSuchFileException(file.toString(), null, "no such safetensors file");
    }
    return FileChannel.open(file, StandardOpenOption.READ);
  }

  private static Header readHeader(Path file, FileChannel channel) throws IOException {
    long size = channel.size();
    if (size < 8) {
      throw new FormatException(file + ": " + size + " bytes is too short for a safetensors file "
          + "(it starts with an 8-byte header length); the file is truncated or not safetensors");
    }
    ByteBuffer lengthBytes = readFully(channel, 0, 8);
    long headerLength = lengthBytes.order(ByteOrder.LITTLE_ENDIAN).getLong(0);
    if (headerLength <= 0 || headerLength > MAX_HEADER_BYTES || 8 + headerLength > size) {
      throw new FormatException(file + ": header length " + headerLength + " does not fit a file of "
          + size + " bytes; the file is truncated or not safetensors");
    }
    ByteBuffer headerBytes = readFully(channel, 8, (int) headerLength);
    JsonNode root;
    try {
      root = JSON.readTree(new String(headerBytes.array(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new FormatException(file + ": the header is not valid JSON (" + e.getMessage() + ")", e);
    }
    if (root == null || !root.isObject()) {
      throw new FormatException(file + ": the header is not a JSON object");
    }
    long dataStart = 8 + headerLength;
    long dataSize = size - dataStart;
    Map<String, TensorInfo> tensors = new LinkedHashMap<>();
    Map<String, String> metadata = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      if (entry.getKey().equals("__metadata__")) {
        entry.getValue().fields().forEachRemaining(m -> metadata.put(m.getKey(), m.getValue().asText()));
      } else {
        TensorInfo info = parseTensor(file, entry.getKey(), entry.getValue());
        if (info.end() > dataSize) {
          throw new FormatException(file + ": tensor '" + info.name() + "' needs data bytes ["
              + info.begin() + ", " + info.end() + ") but only " + dataSize
              + " bytes follow the header; the file is truncated (re-download or re-save it)");
        }
        tensors.put(info.name(), info);
      }
    }
    return new Header(tensors, metadata, dataStart);
  }

  private static TensorInfo parseTensor(Path file, String name, JsonNode node) throws FormatException {
    String where = file + ": tensor '" + name + "'";
    if (!node.has("dtype") || !node.has("shape") || !node.has("data_offsets")) {
      throw new FormatException(where + " lacks dtype, shape or data_offsets in the header");
    }
    String dtypeName = node.get("dtype").asText();
    DType dtype;
    try {
      dtype = DType.valueOf(dtypeName);
    } catch (IllegalArgumentException e) {
      throw new FormatException(where + " has dtype " + dtypeName + ", which cannot be read as float32"
          + " here (readable: " + Arrays.toString(DType.values()) + "); convert the checkpoint first,"
          + " e.g. to bfloat16 with torch");
    }
    JsonNode shapeNode = node.get("shape");
    long[] shape = new long[shapeNode.size()];
    for (int i = 0; i < shape.length; i++) {
      shape[i] = shapeNode.get(i).asLong(-1);
      if (shape[i] < 0) {
        throw new FormatException(where + " has an invalid shape " + shapeNode);
      }
    }
    JsonNode offsets = node.get("data_offsets");
    long begin = offsets.size() == 2 ? offsets.get(0).asLong(-1) : -1;
    long end = offsets.size() == 2 ? offsets.get(1).asLong(-1) : -1;
    if (begin < 0 || end < begin) {
      throw new FormatException(where + " has invalid data_offsets " + offsets);
    }
    TensorInfo info = new TensorInfo(name, dtype, shape, begin, end);
    if (info.elements() * dtype.bytes != end - begin) {
      throw new FormatException(where + ": shape " + Arrays.toString(shape) + " of " + dtype + " needs "
          + info.elements() * dtype.bytes + " bytes but data_offsets span " + (end - begin));
    }
    return info;
  }

  /** Reads one tensor into a new float32 array, converting F16/BF16 on the way. */
  public static INDArray readTensor(FileChannel channel, Header header, TensorInfo info)
      throws IOException {
    INDArray out = Nd4j.createUninitialized(DataType.FLOAT, info.shape(), 'c');
    long total = info.elements();
    if (total == 0) {
      return out;
    }
    FloatPointer target = new FloatPointer(out.data().addressPointer());
    float[] floats = new float[(int) Math.min(CHUNK_ELEMENTS, total)];
    long position = header.dataStart() + info.begin();
    for (long done = 0; done < total; ) {
      int n = (int) Math.min(floats.length, total - done);
      ByteBuffer bytes = readFully(channel, position, n * info.dtype().bytes)
          .order(ByteOrder.LITTLE_ENDIAN);
      switch (info.dtype()) {
        case F32 -> bytes.asFloatBuffer().get(floats, 0, n);
        case F16 -> {
          for (int i = 0; i < n; i++) {
            floats[i] = HalfFloats.f16ToFloat(bytes.getShort(2 * i));
          }
        }
        case BF16 -> {
          for (int i = 0; i < n; i++) {
            floats[i] = HalfFloats.bf16ToFloat(bytes.getShort(2 * i));
          }
        }
      }
      target.position(done).put(floats, 0, n);
      done += n;
      position += (long) n * info.dtype().bytes;
    }
    return out;
  }

  private static ByteBuffer readFully(FileChannel channel, long position, int length)
      throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(length);
    while (buffer.hasRemaining()) {
      int read = channel.read(buffer, position + buffer.position());
      if (read < 0) {
        throw new FormatException("unexpected end of file at byte " + (position + buffer.position())
            + " (wanted " + length + " bytes from " + position + "); the file is truncated");
      }
    }
    buffer.flip();
    return buffer;
  }

  /**
   * Writes tensors (any float type in memory) as {@code dtype}, in the map's order, with the given
   * metadata. Hugging Face loaders want {@code "format": "pt"} in the metadata; it is added when
   * absent. The file is written to a temporary sibling and moved into place, so a crash never
   * leaves a half-written checkpoint under the final name.
   */
  public static void write(Path file, Map<String, INDArray> tensors, Map<String, String> metadata,
      DType dtype) throws IOException {
    ObjectNode header = JSON.createObjectNode();
    ObjectNode meta = header.putObject("__metadata__");
    meta.put("format", "pt");
    metadata.forEach(meta::put);
    long offset = 0;
    for (Map.Entry<String, INDArray> e : tensors.entrySet()) {
      if (e.getKey().equals("__metadata__")) {
        throw new IllegalArgumentException("'__metadata__' is reserved and cannot name a tensor");
      }
      INDArray t = e.getValue();
      long bytes = t.length() * dtype.bytes;
      ObjectNode entry = header.putObject(e.getKey());
      entry.put("dtype", dtype.name());
      ArrayNode shape = entry.putArray("shape");
      for (long d : t.shape()) {
        shape.add(d);
      }
      entry.putArray("data_offsets").add(offset).add(offset + bytes);
      offset += bytes;
    }
    byte[] json = JSON.writeValueAsBytes(header);
    // pad with spaces so the data section starts 8-byte aligned, as the reference writer does
    int padded = (json.length + 7) / 8 * 8;
    ByteBuffer start = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
    start.putLong(padded).put(json);
    while (start.hasRemaining()) {
      start.put((byte) ' ');
    }
    start.flip();

    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".partial");
    try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      writeFully(out, start);
      for (INDArray t : tensors.values()) {
        writeTensor(out, t, dtype);
      }
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
    Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  private static void writeTensor(FileChannel out, INDArray tensor, DType dtype) throws IOException {
    INDArray t = tensor.dataType() == DataType.FLOAT && tensor.ordering() == 'c' && !tensor.isView()
        ? tensor
        : tensor.castTo(DataType.FLOAT).dup('c');
    long total = t.length();
    if (total == 0) {
      return;
    }
    FloatPointer source = new FloatPointer(t.data().addressPointer());
    float[] floats = new float[(int) Math.min(CHUNK_ELEMENTS, total)];
    ByteBuffer bytes = ByteBuffer.allocateDirect(floats.length * dtype.bytes)
        .order(ByteOrder.LITTLE_ENDIAN);
    for (long done = 0; done < total; ) {
      int n = (int) Math.min(floats.length, total - done);
      source.position(done).get(floats, 0, n);
      bytes.clear();
      for (int i = 0; i < n; i++) {
        switch (dtype) {
          case F32 -> bytes.putFloat(floats[i]);
          case F16 -> bytes.putShort(HalfFloats.floatToF16(floats[i]));
          case BF16 -> bytes.putShort(HalfFloats.floatToBf16(floats[i]));
        }
      }
      bytes.flip();
      writeFully(out, bytes);
      done += n;
    }
  }

  private static void writeFully(FileChannel out, ByteBuffer bytes) throws IOException {
    while (bytes.hasRemaining()) {
      out.write(bytes);
    }
  }
}
