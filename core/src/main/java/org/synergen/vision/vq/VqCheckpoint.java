package org.synergen.vision.vq;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.synergen.io.Safetensors;

/**
 * Reads and writes the {@code model.safetensors} of a VQ tokenizer folder. Emu3's checkpoint holds
 * BatchNorm's {@code num_batches_tracked} counters as I64 tensors; they are not used at inference
 * nor trained here, so reading keeps the floating-point tensors and leaves the integer ones out.
 */
public final class VqCheckpoint {
  private VqCheckpoint() {}

  /** The floating-point tensors of a .safetensors file as float32, in file order. */
  public static Map<String, INDArray> read(Path file) throws IOException {
    return Safetensors.readFloatTensors(file).tensors();
  }

  /** Writes float32 tensors (HF names) as {@code file}, in float32. */
  public static void write(Path file, Map<String, INDArray> tensors) throws IOException {
    write(file, tensors, Safetensors.DType.F32);
  }

  /** Writes float32 tensors (HF names) as {@code file}, stored as {@code dtype} (F32, F16 or BF16). */
  public static void write(Path file, Map<String, INDArray> tensors, Safetensors.DType dtype) throws IOException {
    Safetensors.write(file, tensors, Map.of(), dtype);
  }
}
