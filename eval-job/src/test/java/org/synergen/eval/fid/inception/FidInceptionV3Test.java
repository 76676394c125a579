package org.synergen.eval.fid.inception;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.synergen.eval.ReferenceFixtures;
import org.synergen.eval.data.EvalInputException;
import org.synergen.eval.fid.ImageFolder;
import org.synergen.eval.fid.ImageResize;

/**
 * The Java forward pass against pytorch-fid's own InceptionV3 code (fid_inception_fixture.py):
 * pytorch-fid's FID blocks with every width divided by 16 and seeded random weights and batch-norm
 * statistics, run by pytorch-fid's get_activations (bilinear) and on clean-fid-style bicubic
 * resizes, on 7 PNGs of different sizes.
 */
class FidInceptionV3Test {
  private static Path model;
  private static Path images;
  private static JsonNode reference;

  @TempDir
  Path dir;

  @BeforeAll
  static void fixtures() throws URISyntaxException {
    model = Path.of(FidInceptionV3Test.class.getResource("/reference/fid_inception_narrow.safetensors").toURI());
    images = Path.of(FidInceptionV3Test.class.getResource("/reference/fid_images").toURI());
    reference = ReferenceFixtures.load("fid_inception_reference.json").get("features");
  }

  @Test
  void bilinearFeaturesMatchPytorchFid() {
    assertFeatures(ImageResize.BILINEAR, "bilinear");
  }

  @Test
  void bicubicFeaturesMatchTheSameNetworkOnCleanFidResizes() {
    assertFeatures(ImageResize.BICUBIC, "bicubic");
  }

  private void assertFeatures(ImageResize resize, String key) {
    FidInceptionV3 net = FidInceptionV3.load(model, resize);
    assertEquals(2048 / 16, net.dimension());
    List<String> names = new ArrayList<>();
    List<float[][][]> batch = new ArrayList<>();
    for (Iterator<String> it = reference.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      names.add(name);
      batch.add(ImageFolder.read(images.resolve(name)));
    }
    // one batch of all 7 images (different source sizes) checks the batching too
    List<float[]> features = net.features(batch);
    assertEquals(names.size(), features.size());
    for (int i = 0; i < names.size(); i++) {
      JsonNode expected = reference.get(names.get(i)).get(key);
      assertEquals(expected.size(), features.get(i).length);
      for (int j = 0; j < expected.size(); j++) {
        double e = expected.get(j).asDouble();
        assertEquals(e, features.get(i)[j], 1e-4 * Math.max(1, Math.abs(e)), names.get(i) + " feature " + j);
      }
    }
  }

  @Test
  void rejectsFilesThatAreNotTheFidInception() throws IOException {
    Path text = Files.writeString(dir.resolve("model.safetensors"), "not a model");
    EvalInputException e = assertThrows(EvalInputException.class, () -> FidInceptionV3.load(text, ImageResize.BILINEAR));
    assertTrue(e.getMessage().contains("model.safetensors") && e.getMessage().contains("export_fid_inception.py"),
        e.getMessage());

    Path other = dir.resolve("other.safetensors");
    org.synergen.io.Safetensors.write(other, Map.of("fc.weight", org.nd4j.linalg.factory.Nd4j.zeros(2, 2)),
        Map.of(), org.synergen.io.Safetensors.DType.F32);
    e = assertThrows(EvalInputException.class, () -> FidInceptionV3.load(other, ImageResize.BILINEAR));
    assertTrue(e.getMessage().contains("Conv2d_1a_3x3.conv.weight is missing"), e.getMessage());

    e = assertThrows(EvalInputException.class, () -> FidInceptionV3.load(dir.resolve("absent"), ImageResize.BILINEAR));
    assertTrue(e.getMessage().contains("no such"), e.getMessage());
  }
}
