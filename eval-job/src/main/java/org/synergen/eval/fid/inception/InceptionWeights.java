package org.synergen.eval.fid.inception;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.synergen.eval.data.EvalInputException;
import org.synergen.io.Safetensors;

/**
 * Reads the safetensors file scripts/reference/export_fid_inception.py writes from pytorch-fid's
 * pt_inception-2015-12-05-6726825d.pth: tensors named as in that state dict
 * (Mixed_5b.branch1x1.conv.weight, ...), metadata {@code model = pytorch-fid-inception-v3}.
 */
final class InceptionWeights {
  static final String MODEL = "pytorch-fid-inception-v3";
  static final String HOW_TO_GET = "convert pytorch-fid's pt_inception-2015-12-05-6726825d.pth with "
      + "scripts/reference/export_fid_inception.py";

  private InceptionWeights() {}

  static Map<String, INDArray> read(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new EvalInputException(file, "no such Inception model file (" + HOW_TO_GET + ")");
    }
    Safetensors.Contents contents;
    try {
      contents = Safetensors.readWithMetadata(file);
    } catch (IOException e) {
      throw new EvalInputException(file, "not a readable safetensors file: " + e.getMessage()
          + " (the FID Inception must be a .safetensors file; " + HOW_TO_GET + ")");
    }
    String model = contents.metadata().get("model");
    if (model != null && !model.equals(MODEL)) {
      throw new EvalInputException(file, "holds model '" + model + "', not " + MODEL + " (" + HOW_TO_GET + ")");
    }
    return contents.tensors();
  }

  static INDArray tensor(Map<String, INDArray> tensors, String name, int rank) {
    INDArray t = tensors.get(name);
    if (t == null) {
      throw new IllegalArgumentException("tensor " + name + " is missing: this is not pytorch-fid's FID "
          + "Inception-v3 (" + HOW_TO_GET + ")");
    }
    if (t.rank() != rank) {
      throw new IllegalArgumentException("tensor " + name + " has shape " + Arrays.toString(t.shape())
          + ", expected " + rank + " dimensions");
    }
    return t;
  }

  static INDArray vector(Map<String, INDArray> tensors, String name, long length) {
    INDArray t = tensor(tensors, name, 1);
    if (t.length() != length) {
      throw new IllegalArgumentException("tensor " + name + " has " + t.length() + " values, expected " + length);
    }
    return t;
  }
}
