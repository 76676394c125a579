package org.synergen.tokenize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.synergen.io.Npy;
import org.synergen.vision.vq.RgbImage;
import org.synergen.vision.vq.VqImages;

/** encode-image / decode-image against Emu3's PyTorch outputs (core's parity fixtures). */
class ImageCommandsTest {
  private static final Path VQ = Path.of("../core/src/test/resources/vq/tiny-a");

  private static int run(String... args) {
    return TokenizeJob.commandLine().execute(args);
  }

  @Test
  void encodeThenDecodeReproduceTheReference(@TempDir Path tmp) throws Exception {
    Path ids = tmp.resolve("ids.npy");
    assertEquals(0, run("encode-image", "--vq", VQ.toString(), "--image", VQ.resolve("input.png").toString(),
        "--out", ids.toString()));
    INDArray got = Npy.read(ids);
    INDArray expected = Npy.read(VQ.resolve("ids.npy"));
    assertArrayEquals(expected.shape(), got.shape());
    assertArrayEquals(expected.reshape(-1).toLongVector(), got.reshape(-1).toLongVector());

    Path raw = tmp.resolve("decoded.npy");
    assertEquals(0, run("decode-image", "--vq", VQ.toString(), "--ids", ids.toString(), "--out", raw.toString()));
    INDArray decoded = Npy.read(raw);
    INDArray reference = Npy.read(VQ.resolve("decoded.npy"));
    assertArrayEquals(reference.shape(), decoded.shape());
    assertTrue(Transforms.abs(decoded.sub(reference)).maxNumber().doubleValue() < 1e-4);

    Path png = tmp.resolve("decoded.png");
    assertEquals(0, run("decode-image", "--vq", VQ.toString(), "--ids", ids.toString(), "--out", png.toString()));
    RgbImage img = VqImages.read(png);
    // Emu3's postprocess of the reference output: clip((x + 1) / 2 * 255), truncated.
    float r = reference.getFloat(0, 3, 5);
    int expectedRed = (int) Math.max(0, Math.min(255, (r + 1) / 2 * 255));
    assertEquals(expectedRed, img.at(3, 5, 0), 1);
  }

  @Test
  void usageErrorsExitTwo(@TempDir Path tmp) throws Exception {
    assertEquals(2, run()); // the Spark run without --input/--output
    assertEquals(2, run("encode-image", "--vq", VQ.toString()));
    assertEquals(2, run("decode-image", "--vq", VQ.toString(), "--ids", VQ.resolve("ids.npy").toString(),
        "--out", tmp.resolve("x.jpg").toString()));
    assertEquals(1, run("encode-image", "--vq", tmp.toString(), "--image", VQ.resolve("input.png").toString(),
        "--out", tmp.resolve("ids.npy").toString()));
    assertTrue(Files.notExists(tmp.resolve("ids.npy")));
  }
}
