# Writes reference.safetensors with the reference implementation (HF safetensors) for
# CheckpointStoreTest, which reads it back with our stream reader. Run: python3 make_reference.py
import numpy as np
from safetensors.numpy import save_file

save_file({
    "layer.weight": (np.arange(6, dtype=np.float32).reshape(2, 3) - 2.5) / 4,
    "layer.bias": np.array([1e-8, -3.25e7], dtype=np.float32),
    "scalar": np.array(7.0, dtype=np.float32),
}, "reference.safetensors", metadata={"format": "pt"})
