package org.synergen.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Against files written by numpy.save (scripts/fixtures/make_hf_fixtures.py formats). */
class NpyTest {

  static final Path FORMATS = Path.of("src/test/resources/fixtures/formats");

  @TempDir Path tmp;

  @Test
  void readsWhatNumpyWrote() throws IOException {
    INDArray f = Npy.read(FORMATS.resolve("f32.npy")); // arange(24).reshape(2,3,4) / 8 - 1
    assertEquals(DataType.FLOAT, f.dataType());
    assertArrayEquals(new long[] {2, 3, 4}, f.shape());
    assertEquals(-1f, f.getFloat(0, 0, 0));
    assertEquals(23 / 8f - 1, f.getFloat(1, 2, 3));
    assertEquals(6 / 8f - 1, f.getFloat(0, 1, 2));
    INDArray i = Npy.read(FORMATS.resolve("i64.npy"));
    assertEquals(DataType.LONG, i.dataType());
    assertArrayEquals(new long[] {0, -1, 1L << 40, 7, 1L << 62}, i.toLongVector());
    INDArray d = Npy.read(FORMATS.resolve("f64.npy"));
    assertArrayEquals(new long[] {1, 2}, d.shape());
    assertEquals(-0.2, d.getDouble(0, 1));
  }

  @Test
  void writesTheSameBytesAsNumpy() throws IOException {
    Path f = tmp.resolve("f32.npy");
    Npy.write(f, Nd4j.arange(24).castTo(DataType.FLOAT).reshape(2, 3, 4).divi(8).subi(1));
    assertArrayEquals(Files.readAllBytes(FORMATS.resolve("f32.npy")), Files.readAllBytes(f));
    Path i = tmp.resolve("i64.npy");
    Npy.write(i, Nd4j.createFromArray(0L, -1L, 1L << 40, 7L, 1L << 62));
    assertArrayEquals(Files.readAllBytes(FORMATS.resolve("i64.npy")), Files.readAllBytes(i));
  }

  @Test
  void refusesWhatItCannotRepresent() throws IOException {
    assertThrows(IllegalArgumentException.class,
        () -> Npy.write(tmp.resolve("x.npy"), Nd4j.create(DataType.DOUBLE, 2)));
    assertThrows(IllegalArgumentException.class,
        () -> Npy.writeFloats(tmp.resolve("x.npy"), new float[5], 2, 3));
    Path truncated = tmp.resolve("t.npy");
    byte[] whole = Files.readAllBytes(FORMATS.resolve("f32.npy"));
    Files.write(truncated, java.util.Arrays.copyOf(whole, whole.length - 4));
    assertThrows(FormatException.class, () -> Npy.read(truncated));
  }
}
