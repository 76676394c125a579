package org.synergen.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bytedeco.javacpp.BytePointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The safetensors format (Hugging Face): an 8-byte little-endian header length, a JSON header
 * {@code {name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {str: str}}}, then the
 * raw little-endian tensor bytes. Every tensor is read into a float32 ND4J array (training runs in
 * float32; docs/architecture.md, "Engine choices") and streamed in chunks, so multi-GB files never sit on the Java heap.
 * Integer tensors are refused, except by {@link #readFloatTensors}, which leaves them out.
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

  /** A file's floating-point tensors (file order, float32) and the names of the integer ones left out. */
  public record FloatTensors(Map<String, INDArray> tensors, List<String> skipped) {}

  /**
   * Integer dtypes that {@link #readFloatTensors} leaves out: bookkeeping such as torch BatchNorm's
   * I64 {@code num_batches_tracked}, not weights.
   */
  private static final Set<String> INTEGER_DTYPES = Set.of("I8", "I16", "I32", "I64", "U8", "U16", "U32", "U64");

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long MAX_HEADER_BYTES = 100L << 20; // the Rust reference rejects more too
  private static final int CHUNK_ELEMENTS = 1 << 20;
  private static final int STREAM_CHUNK_ELEMENTS = 1 << 14;

  private Safetensors() {}

  /** All tensors of a file as float32 arrays, in file order. */
  public static Map<String, INDArray> read(Path file) throws IOException {
    return readWithMetadata(file).tensors();
  }

  public static Contents readWithMetadata(Path file) throws IOException {
    try (FileChannel channel = open(file)) {
      Header header = readHeader(file, channel, null);
      Map<String, INDArray> tensors = new LinkedHashMap<>();
      for (TensorInfo info : header.tensors().values()) {
        tensors.put(info.name(), readTensor(channel, header, info));
      }
      return new Contents(tensors, header.metadata());
    }
  }

  /**
   * The floating-point tensors of a file as float32, in file order, leaving out integer tensors
   * (named in {@link FloatTensors#skipped}) instead of refusing the file as {@link #read} does.
   */
  public static FloatTensors readFloatTensors(Path file) throws IOException {
    try (FileChannel channel = open(file)) {
      List<String> skipped = new ArrayList<>();
      Header header = readHeader(file, channel, skipped);
      Map<String, INDArray> tensors = new LinkedHashMap<>();
      for (TensorInfo info : header.tensors().values()) {
        tensors.put(info.name(), readTensor(channel, header, info));
      }
      return new FloatTensors(tensors, List.copyOf(skipped));
    }
  }

  public static Header readHeader(Path file) throws IOException {
    try (FileChannel channel = open(file)) {
      return readHeader(file, channel, null);
    }
  }

  private static FileChannel open(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new NoSuchFileException(file.toString(), null, "no such safetensors file");
    }
    return FileChannel.open(file, StandardOpenOption.READ);
  }

  /** {@code skipped}: null to refuse integer tensors, else a list that collects their names. */
  private static Header readHeader(Path file, FileChannel channel, List<String> skipped) throws IOException {
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
    return parseHeader(file.toString(), headerBytes.array(), 8 + headerLength, size - 8 - headerLength, skipped);
  }

  /**
   * The JSON header; {@code dataSize} bounds the tensors' offsets (Long.MAX_VALUE when unknown).
   * Integer tensors are refused when {@code skipped} is null, else left out and named there.
   */
  private static Header parseHeader(String file, byte[] json, long dataStart, long dataSize, List<String> skipped)
      throws FormatException {
    JsonNode root;
    try {
      root = JSON.readTree(new String(json, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new FormatException(file + ": the header is not valid JSON (" + e.getMessage() + ")", e);
    }
    if (root == null || !root.isObject()) {
      throw new FormatException(file + ": the header is not a JSON object");
    }
    Map<String, TensorInfo> tensors = new LinkedHashMap<>();
    Map<String, String> metadata = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      if (entry.getKey().equals("__metadata__")) {
        entry.getValue().fields().forEachRemaining(m -> metadata.put(m.getKey(), m.getValue().asText()));
      } else if (skipped != null && INTEGER_DTYPES.contains(entry.getValue().path("dtype").asText())) {
        skipped.add(entry.getKey());
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

  private static TensorInfo parseTensor(String file, String name, JsonNode node) throws FormatException {
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

  /**
   * Reads one tensor into a new float32 array. F32 bytes go from the file straight into the
   * array's native memory; F16/BF16 pass through a small buffer and are widened into it.
   */
  public static INDArray readTensor(FileChannel channel, Header header, TensorInfo info)
      throws IOException {
    INDArray out = Nd4j.createUninitialized(DataType.FLOAT, info.shape(), 'c');
    long total = info.elements();
    BytePointer target = new BytePointer(out.data().addressPointer());
    long position = header.dataStart() + info.begin();
    ByteBuffer half = info.dtype() == DType.F32 ? null
        : ByteBuffer.allocateDirect(2 * CHUNK_ELEMENTS).order(ByteOrder.LITTLE_ENDIAN);
    for (long done = 0; done < total; ) {
      int n = (int) Math.min(CHUNK_ELEMENTS, total - done);
      ByteBuffer floats = target.position(4 * done).limit(4 * (done + n)).asByteBuffer()
          .order(ByteOrder.LITTLE_ENDIAN);
      if (info.dtype() == DType.F32) {
        readFully(channel, position, floats);
      } else {
        half.clear().limit(2 * n);
        readFully(channel, position, half);
        ShortBuffer in = half.flip().asShortBuffer();
        FloatBuffer to = floats.asFloatBuffer();
        if (info.dtype() == DType.BF16) {
          for (int i = 0; i < n; i++) {
            to.put(i, HalfFloats.bf16ToFloat(in.get(i)));
          }
        } else {
          for (int i = 0; i < n; i++) {
            to.put(i, HalfFloats.f16ToFloat(in.get(i)));
          }
        }
      }
      done += n;
      position += (long) n * info.dtype().bytes;
    }
    return out;
  }

  private static void readFully(FileChannel channel, long position, ByteBuffer into)
      throws IOException {
    long start = position;
    while (into.hasRemaining()) {
      int read = channel.read(into, position);
      if (read < 0) {
        throw new FormatException("unexpected end of file at byte " + position + " (reading from "
            + start + "); the file is truncated");
      }
      position += read;
    }
  }

  private static ByteBuffer readFully(FileChannel channel, long position, int length)
      throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(length);
    readFully(channel, position, buffer);
    return buffer.flip();
  }

  /**
   * Writes tensors (any float type in memory) as {@code dtype}, in the map's order, with the given
   * metadata. Hugging Face loaders want {@code "format": "pt"} in the metadata; it is added when
   * absent. The file is written to a temporary sibling and moved into place, so a crash never
   * leaves a half-written checkpoint under the final name.
   */
  public static void write(Path file, Map<String, INDArray> tensors, Map<String, String> metadata,
      DType dtype) throws IOException {
    Map<String, long[]> shapes = new LinkedHashMap<>();
    tensors.forEach((name, t) -> shapes.put(name, t.shape()));
    ByteBuffer start = header(shapes, metadata, dtype);

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

  /**
   * The bytes before the data: length, JSON header (tensors in the map's order, back to back,
   * {@code "format": "pt"} added to the metadata as Hugging Face loaders want), padded with spaces
   * so that the data section starts 8-byte aligned, as the reference writer does.
   */
  private static ByteBuffer header(Map<String, long[]> shapes, Map<String, String> metadata, DType dtype)
      throws IOException {
    ObjectNode header = JSON.createObjectNode();
    ObjectNode meta = header.putObject("__metadata__");
    meta.put("format", "pt");
    metadata.forEach(meta::put);
    long offset = 0;
    for (Map.Entry<String, long[]> e : shapes.entrySet()) {
      if (e.getKey().equals("__metadata__")) {
        throw new IllegalArgumentException("'__metadata__' is reserved and cannot name a tensor");
      }
      long elements = 1;
      ObjectNode entry = header.putObject(e.getKey());
      entry.put("dtype", dtype.name());
      ArrayNode shape = entry.putArray("shape");
      for (long d : e.getValue()) {
        shape.add(d);
        elements *= d;
      }
      long bytes = elements * dtype.bytes;
      entry.putArray("data_offsets").add(offset).add(offset + bytes);
      offset += bytes;
    }
    byte[] json = JSON.writeValueAsBytes(header);
    int padded = (json.length + 7) / 8 * 8;
    ByteBuffer start = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
    start.putLong(padded).put(json);
    while (start.hasRemaining()) {
      start.put((byte) ' ');
    }
    return start.flip();
  }

  /** A float32 tensor on the Java heap (training state; serialisable, no native memory). */
  public record Floats(long[] shape, float[] data) {}

  /**
   * Writes float32 tensors to a stream (e.g. a Hadoop {@code FSDataOutputStream}: checkpoints on
   * {@code hdfs://} or {@code s3a://}), in the map's order. The caller owns the stream and makes the
   * file appear atomically (write elsewhere, then rename).
   */
  public static void writeFloats(OutputStream out, Map<String, Floats> tensors, Map<String, String> metadata)
      throws IOException {
    Map<String, long[]> shapes = new LinkedHashMap<>();
    tensors.forEach((name, t) -> shapes.put(name, t.shape()));
    out.write(header(shapes, metadata, DType.F32).array());
    ByteBuffer buf = ByteBuffer.allocate(4 * STREAM_CHUNK_ELEMENTS).order(ByteOrder.LITTLE_ENDIAN);
    for (Floats t : tensors.values()) {
      float[] v = t.data();
      for (int done = 0; done < v.length; ) {
        int n = Math.min(STREAM_CHUNK_ELEMENTS, v.length - done);
        buf.clear();
        buf.asFloatBuffer().put(v, done, n);
        out.write(buf.array(), 0, 4 * n);
        done += n;
      }
    }
  }

  /**
   * Reads every tensor of a safetensors stream into float32 heap arrays (F16/BF16 widened), in
   * data order. A stream is read front to back, so the tensors must lie back to back, as every
   * writer lays them out; {@code where} names the source in errors.
   */
  public static Map<String, Floats> readFloats(InputStream in, String where) throws IOException {
    DataInputStream data = new DataInputStream(in);
    byte[] lengthBytes = new byte[8];
    readFully(data, lengthBytes, lengthBytes.length, where, "the header length");
    long headerLength = ByteBuffer.wrap(lengthBytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
    if (headerLength <= 0 || headerLength > MAX_HEADER_BYTES) {
      throw new FormatException(where + ": header length " + headerLength + " is not a safetensors header;"
          + " the file is truncated or not safetensors");
    }
    byte[] json = new byte[(int) headerLength];
    readFully(data, json, json.length, where, "the header");
    Header header = parseHeader(where, json, 8 + headerLength, Long.MAX_VALUE, null);
    List<TensorInfo> ordered = new ArrayList<>(header.tensors().values());
    ordered.sort((a, b) -> Long.compare(a.begin(), b.begin()));
    Map<String, Floats> tensors = new LinkedHashMap<>();
    byte[] chunk = new byte[4 * STREAM_CHUNK_ELEMENTS];
    long position = 0;
    for (TensorInfo info : ordered) {
      if (info.begin() != position) {
        throw new FormatException(where + ": tensor '" + info.name() + "' starts at data byte " + info.begin()
            + ", not right after the previous tensor (byte " + position + "): gaps or overlaps cannot be streamed");
      }
      if (info.elements() > Integer.MAX_VALUE - 8) {
        throw new FormatException(where + ": tensor '" + info.name() + "' has " + info.elements()
            + " elements, more than a Java array holds");
      }
      float[] values = new float[(int) info.elements()];
      int width = info.dtype().bytes;
      for (int done = 0; done < values.length; ) {
        int n = Math.min(STREAM_CHUNK_ELEMENTS, values.length - done);
        readFully(data, chunk, n * width, where, "tensor '" + info.name() + "'");
        ByteBuffer bytes = ByteBuffer.wrap(chunk, 0, n * width).order(ByteOrder.LITTLE_ENDIAN);
        if (info.dtype() == DType.F32) {
          bytes.asFloatBuffer().get(values, done, n);
        } else {
          ShortBuffer halves = bytes.asShortBuffer();
          for (int i = 0; i < n; i++) {
            short h = halves.get(i);
            values[done + i] = info.dtype() == DType.BF16 ? HalfFloats.bf16ToFloat(h) : HalfFloats.f16ToFloat(h);
          }
        }
        done += n;
      }
      tensors.put(info.name(), new Floats(info.shape(), values));
      position = info.end();
    }
    return tensors;
  }

  private static void readFully(DataInputStream in, byte[] into, int length, String where, String what)
      throws IOException {
    try {
      in.readFully(into, 0, length);
    } catch (EOFException e) {
      throw new FormatException(where + ": the stream ends inside " + what + "; the file is truncated", e);
    }
  }

  private static void writeTensor(FileChannel out, INDArray tensor, DType dtype) throws IOException {
    INDArray t = tensor.dataType() == DataType.FLOAT && tensor.ordering() == 'c' && !tensor.isView()
        ? tensor
        : tensor.castTo(DataType.FLOAT).dup('c');
    long total = t.length();
    BytePointer source = new BytePointer(t.data().addressPointer());
    ByteBuffer half = dtype == DType.F32 ? null
        : ByteBuffer.allocateDirect(2 * CHUNK_ELEMENTS).order(ByteOrder.LITTLE_ENDIAN);
    for (long done = 0; done < total; ) {
      int n = (int) Math.min(CHUNK_ELEMENTS, total - done);
      ByteBuffer floats = source.position(4 * done).limit(4 * (done + n)).asByteBuffer()
          .order(ByteOrder.LITTLE_ENDIAN);
      if (dtype == DType.F32) {
        writeFully(out, floats);
      } else {
        FloatBuffer from = floats.asFloatBuffer();
        ShortBuffer to = half.clear().asShortBuffer();
        for (int i = 0; i < n; i++) {
          float f = from.get(i);
          to.put(i, dtype == DType.BF16 ? HalfFloats.floatToBf16(f) : HalfFloats.floatToF16(f));
        }
        writeFully(out, half.limit(2 * n));
      }
      done += n;
    }
  }

  private static void writeFully(FileChannel out, ByteBuffer bytes) throws IOException {
    while (bytes.hasRemaining()) {
      out.write(bytes);
    }
  }
}
