package org.synergen.train.checkpoint;

import org.synergen.train.distributed.TensorSet;

/**
 * How a training state's parameters become a checkpoint's model file and back. The state may hold
 * derived tensors that only the trainer needs (e.g. the trained rows of an embedding table, see
 * {@code org.synergen.train.freeze.TrainableTensors}); the file holds the model's own tensors, so
 * other tools load it as a plain model checkpoint.
 */
public interface ParameterLayout {
  /** What the model file holds, from the state's frozen and trainable tensors. */
  TensorSet toFile(TensorSet frozen, TensorSet trainable);

  /** The state's tensors (frozen and trainable, by the state's names) from the model file. */
  TensorSet fromFile(TensorSet file);

  /** The file holds the state's tensors as they are: frozen, then trainable. */
  ParameterLayout AS_IS = new ParameterLayout() {
    @Override
    public TensorSet toFile(TensorSet frozen, TensorSet trainable) {
      return frozen.plus(trainable);
    }

    @Override
    public TensorSet fromFile(TensorSet file) {
      return file;
    }
  };
}
