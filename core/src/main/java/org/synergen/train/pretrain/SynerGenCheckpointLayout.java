package org.synergen.train.pretrain;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.synergen.config.ModelConfig;
import org.synergen.io.hf.HfNameMapping;
import org.synergen.model.ParameterShapes;
import org.synergen.model.nn.Rows;
import org.synergen.train.checkpoint.ParameterLayout;
import org.synergen.train.distributed.TensorSet;
import org.synergen.train.freeze.TrainableSet;
import org.synergen.train.freeze.TrainableTensors;

/**
 * A training checkpoint's model.safetensors as a Hugging Face checkpoint holds it: every model
 * tensor once, under the architecture's HF names (image parts under our own), trained rows merged
 * into their tables. With the checkpoint's config.json ({@code HfConfig.toJson}) the directory is
 * what {@code ModelCheckpoint.load} reads (stage 2 starts from it) and what transformers loads for
 * the text part.
 */
public final class SynerGenCheckpointLayout implements ParameterLayout {
  private final ModelConfig cfg;
  private final TrainableSet set;
  private final List<String> order;

  public SynerGenCheckpointLayout(ModelConfig cfg, TrainableSet set) {
    this.cfg = cfg;
    this.set = set;
    this.order = new ArrayList<>(ParameterShapes.of(cfg).keySet());
  }

  @Override
  public TensorSet toFile(TensorSet frozen, TensorSet trainable) {
    Map<String, INDArray> merged = TrainableTensors.merge(frozen, trainable, set, order);
    TensorSet out = new TensorSet();
    HfNameMapping.of(cfg).toFile(merged, cfg).forEach((name, t) -> out.put(name, t.shape(), TrainableTensors.floats(t)));
    return out;
  }

  @Override
  public TensorSet fromFile(TensorSet file) {
    Map<String, INDArray> arrays = new LinkedHashMap<>();
    file.asMap().forEach((name, t) -> arrays.put(name, TrainableTensors.array(t)));
    Map<String, INDArray> canonical;
    try {
      canonical = HfNameMapping.of(cfg).toCanonical(arrays, cfg);
    } catch (IOException e) {
      throw new UncheckedIOException("the checkpoint's model file does not fit the model config", e);
    }
    TensorSet out = new TensorSet();
    for (String name : order) {
      INDArray t = canonical.get(name);
      if (t == null) {
        throw new IllegalArgumentException("the checkpoint's model file lacks " + name);
      }
      int[] rows = set.trains(name) ? set.rows(name) : null;
      if (rows == null) {
        out.put(name, t.shape(), TrainableTensors.floats(t));
      } else {
        out.put(name, t.shape(), TrainableTensors.withoutRows(t, rows));
        INDArray part = Rows.gather(t, rows);
        out.put(name + TrainableTensors.ROWS, part.shape(), TrainableTensors.floats(part));
      }
    }
    return out;
  }
}
