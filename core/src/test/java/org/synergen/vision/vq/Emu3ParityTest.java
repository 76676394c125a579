package org.synergen.vision.vq;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nd4j.linalg.indexing.NDArrayIndex.point;

import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.synergen.io.Npy;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Parity with Emu3's own PyTorch tokenizer code on tiny random configs: the fixtures were written by
 * scripts/fixtures/make_vq_fixtures.py running github.com/baaivision/Emu3's emu3/tokenizer.
 */
class Emu3ParityTest {
  private static final Path FIXTURES = Path.of("src/test/resources/vq");

  @ParameterizedTest
  @ValueSource(strings = {"tiny-a", "tiny-b"})
  void encodeAndDecodeMatchTheReference(String name) throws Exception {
    Path dir = FIXTURES.resolve(name);
    VisionVq vq = VisionVq.load(dir);
    INDArray image = VqImages.toPixels(VqImages.read(dir.resolve("input.png")));
    INDArray pixels = image.reshape(1, 3, image.size(1), image.size(2));

    INDArray expectedLatents = Npy.read(dir.resolve("latent.npy"));
    double latentDiff = maxAbsDiff(expectedLatents, vq.latents(pixels).get(point(0)));
    assertTrue(latentDiff < 1e-4, "latents differ by " + latentDiff);

    INDArray ids = vq.encode(pixels);
    INDArray expectedIds = Npy.read(dir.resolve("ids.npy"));
    assertArrayEquals(expectedIds.reshape(-1).toLongVector(), ids.reshape(-1).toLongVector(), "ids");

    INDArray decoded = vq.decode(expectedIds.reshape(1, expectedIds.size(0), expectedIds.size(1)));
    INDArray expectedDecoded = Npy.read(dir.resolve("decoded.npy"));
    double diff = maxAbsDiff(expectedDecoded, decoded.get(point(0)));
    assertTrue(diff < 1e-4, "decoded pixels differ by " + diff);
  }

  static double maxAbsDiff(INDArray a, INDArray b) {
    assertArrayEquals(a.shape(), b.shape());
    return Transforms.abs(a.castTo(b.dataType()).sub(b)).maxNumber().doubleValue();
  }
}
