package org.synergen.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Against files written by Python's safetensors + torch (scripts/fixtures/make_hf_fixtures.py). */
class SafetensorsTest {

  static final Path FORMATS = Path.of("src/test/resources/fixtures/formats");

  @TempDir Path tmp;

  private static int[] bits(INDArray a) {
    return bits(a.dup('c').data().asFloat());
  }

  private static int[] bits(float[] f) {
    int[] b = new int[f.length];
    for (int i = 0; i < f.length; i++) {
      b[i] = Float.floatToRawIntBits(f[i]);
    }
    return b;
  }

  @Test
  void halfPrecisionTensorsReadAsTorchConvertsThem() throws IOException {
    Safetensors.Contents c = Safetensors.readWithMetadata(FORMATS.resolve("mixed.safetensors"));
    Map<String, INDArray> t = c.tensors();
    assertEquals("fixture", c.metadata().get("note"));
    assertEquals(DataType.FLOAT, t.get("source_as_f16").dataType());
    assertArrayEquals(new long[] {4, 30}, t.get("source_as_f16").shape());
    // torch's own float16/bfloat16 -> float32 conversion, bit for bit (signed zero, infinities,
    // subnormals included)
    assertArrayEquals(bits(t.get("f16_back_to_f32")), bits(t.get("source_as_f16")));
    assertArrayEquals(bits(t.get("bf16_back_to_f32")), bits(t.get("source_as_bf16")));
    assertTrue(Float.isNaN(t.get("nan_as_bf16").getFloat(0)));
    assertEquals(0, t.get("scalar").rank());
    assertEquals(3.5f, t.get("scalar").getFloat(0));
    assertArrayEquals(new long[] {0, 3}, t.get("empty").shape());
  }

  /** The data bytes of one tensor, wherever the header puts them. */
  private static byte[] dataBytes(Path file, String name) throws IOException {
    Safetensors.Header h = Safetensors.readHeader(file);
    Safetensors.TensorInfo info = h.tensors().get(name);
    ByteBuffer buf = ByteBuffer.allocate((int) (info.end() - info.begin()));
    try (FileChannel ch = FileChannel.open(file)) {
      ch.read(buf, h.dataStart() + info.begin());
    }
    return buf.array();
  }

  @Test
  void writtenBytesEqualPythonsForEveryDtype() throws IOException {
    INDArray source = Safetensors.read(FORMATS.resolve("source-f32.safetensors")).get("source");
    for (Safetensors.DType dtype : Safetensors.DType.values()) {
      String label = dtype.name().toLowerCase();
      Path ours = tmp.resolve(label + ".safetensors");
      Safetensors.write(ours, Map.of("source", source), Map.of(), dtype);
      Path theirs = FORMATS.resolve("source-" + label + ".safetensors");
      assertArrayEquals(dataBytes(theirs, "source"), dataBytes(ours, "source"), dtype.name());
      Safetensors.Header h = Safetensors.readHeader(ours);
      assertEquals("pt", h.metadata().get("format"));
      assertEquals(0, h.dataStart() % 8);
    }
  }

  @Test
  void float32RoundTripIsBitExactAndKeepsOrderAndMetadata() throws IOException {
    Map<String, INDArray> tensors = new LinkedHashMap<>();
    tensors.put("z.last.first", Nd4j.rand(DataType.FLOAT, 3, 7).subi(0.5).muli(1e4));
    tensors.put("a.view", Nd4j.rand(DataType.FLOAT, 6, 6).get(
        org.nd4j.linalg.indexing.NDArrayIndex.interval(1, 4),
        org.nd4j.linalg.indexing.NDArrayIndex.all())); // a non-contiguous view is written densely
    tensors.put("m.vector", Nd4j.createFromArray(1f, -0f, Float.MIN_VALUE, Float.MAX_VALUE));
    Path f = tmp.resolve("rt.safetensors");
    Safetensors.write(f, tensors, Map.of("step", "12"), Safetensors.DType.F32);
    Safetensors.Contents back = Safetensors.readWithMetadata(f);
    assertEquals(List.copyOf(tensors.keySet()), List.copyOf(back.tensors().keySet()));
    for (String k : tensors.keySet()) {
      assertArrayEquals(tensors.get(k).shape(), back.tensors().get(k).shape(), k);
      assertArrayEquals(bits(tensors.get(k)), bits(back.tensors().get(k)), k);
    }
    assertEquals("12", back.metadata().get("step"));
  }

  @Test
  void streamsReadWhatTheFileReaderReadsAndWriteWhatTheFileWriterWrites() throws IOException {
    // reading: every tensor of Python's mixed-dtype file (F16/BF16 widened, scalar, empty) as the file reader does
    Path mixed = FORMATS.resolve("mixed.safetensors");
    Map<String, Safetensors.Floats> streamed;
    try (java.io.InputStream in = Files.newInputStream(mixed)) {
      streamed = Safetensors.readFloats(in, mixed.toString());
    }
    Map<String, INDArray> read = Safetensors.read(mixed);
    assertEquals(read.keySet(), streamed.keySet());
    for (String k : read.keySet()) {
      assertArrayEquals(read.get(k).shape(), streamed.get(k).shape(), k);
      float[] fromFile = read.get(k).length() == 0 ? new float[0] : read.get(k).dup('c').data().asFloat();
      assertArrayEquals(bits(fromFile), bits(streamed.get(k).data()), k);
    }
    // writing: the same bytes as the file writer (and so Python's data bytes, checked above)
    INDArray source = read.get("source_as_f16");
    Path file = tmp.resolve("file.safetensors");
    Safetensors.write(file, Map.of("source", source), Map.of("step", "3"), Safetensors.DType.F32);
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    Safetensors.writeFloats(out, Map.of("source", new Safetensors.Floats(source.shape(), source.data().asFloat())),
        Map.of("step", "3"));
    assertArrayEquals(Files.readAllBytes(file), out.toByteArray());
  }

  @Test
  void aTruncatedStreamIsReportedAsSuch() throws IOException {
    byte[] whole = Files.readAllBytes(FORMATS.resolve("source-f32.safetensors"));
    FormatException e = assertThrows(FormatException.class, () -> Safetensors.readFloats(
        new java.io.ByteArrayInputStream(java.util.Arrays.copyOf(whole, whole.length - 10)), "ckpt"));
    assertTrue(e.getMessage().contains("truncated") && e.getMessage().contains("'source'"), e.getMessage());
  }

  @Test
  void truncatedFileIsReportedAsSuch() throws IOException {
    byte[] whole = Files.readAllBytes(FORMATS.resolve("source-f32.safetensors"));
    Path cut = tmp.resolve("cut.safetensors");
    Files.write(cut, java.util.Arrays.copyOf(whole, whole.length - 10));
    FormatException e = assertThrows(FormatException.class, () -> Safetensors.read(cut));
    assertTrue(e.getMessage().contains("truncated") && e.getMessage().contains("'source'"), e.getMessage());

    Path tiny = tmp.resolve("tiny.safetensors");
    Files.write(tiny, new byte[] {1, 2, 3});
    assertTrue(assertThrows(FormatException.class, () -> Safetensors.read(tiny))
        .getMessage().contains("too short"));
    Path headerCut = tmp.resolve("header-cut.safetensors");
    Files.write(headerCut, java.util.Arrays.copyOf(whole, 20));
    assertThrows(FormatException.class, () -> Safetensors.read(headerCut));
  }

  @Test
  void unknownDtypeIsNamed() {
    FormatException e = assertThrows(FormatException.class,
        () -> Safetensors.read(FORMATS.resolve("int8.safetensors")));
    assertTrue(e.getMessage().contains("'counts'") && e.getMessage().contains("I8"), e.getMessage());
  }

  @Test
  void floatTensorReadingLeavesIntegerTensorsOutAndNamesThem() throws IOException {
    // Hand-built: F32 "w" = [1.5, -2] at data bytes [0, 8), I64 "n" = 7 (torch's num_batches_tracked) at [8, 16).
    String json = "{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
        + "\"n\":{\"dtype\":\"I64\",\"shape\":[],\"data_offsets\":[8,16]}}";
    byte[] header = json.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(8 + header.length + 16).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(header.length).put(header).putFloat(1.5f).putFloat(-2f).putLong(7);
    Path f = tmp.resolve("with-counter.safetensors");
    Files.write(f, b.array());

    Safetensors.FloatTensors read = Safetensors.readFloatTensors(f);
    assertEquals(List.of("w"), List.copyOf(read.tensors().keySet()));
    assertArrayEquals(new float[] {1.5f, -2f}, read.tensors().get("w").data().asFloat());
    assertEquals(List.of("n"), read.skipped());
    FormatException e = assertThrows(FormatException.class, () -> Safetensors.read(f));
    assertTrue(e.getMessage().contains("'n'") && e.getMessage().contains("I64"), e.getMessage());
  }

  @Test
  void shapeThatDoesNotMatchTheBytesIsRejected() throws IOException {
    String json = "{\"w\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,12]}}";
    byte[] header = json.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(8 + header.length + 12).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(header.length).put(header);
    Path f = tmp.resolve("bad-shape.safetensors");
    Files.write(f, b.array());
    FormatException e = assertThrows(FormatException.class, () -> Safetensors.read(f));
    assertTrue(e.getMessage().contains("needs 16 bytes") && e.getMessage().contains("span 12"),
        e.getMessage());
  }

  @Test
  void missingFileIsNoSuchFile() {
    assertThrows(NoSuchFileException.class, () -> Safetensors.read(tmp.resolve("absent.safetensors")));
  }
}
