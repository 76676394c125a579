package org.synergen.train.checkpoint;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import org.synergen.io.Safetensors;
import org.synergen.train.distributed.TensorSet;

/** Checkpoint tensors as safetensors files ({@link Safetensors}' stream form, float32). */
public final class SafetensorsCodec implements TensorCodec {
  @Override
  public void write(TensorSet tensors, Map<String, String> metadata, OutputStream out) throws IOException {
    Map<String, Safetensors.Floats> floats = new LinkedHashMap<>();
    tensors.asMap().forEach((name, t) -> floats.put(name, new Safetensors.Floats(t.shape(), t.data())));
    Safetensors.writeFloats(out, floats, metadata);
  }

  @Override
  public TensorSet read(InputStream in) throws IOException {
    TensorSet tensors = new TensorSet();
    Safetensors.readFloats(in, "checkpoint tensors").forEach((name, t) -> tensors.put(name, t.shape(), t.data()));
    return tensors;
  }
}
