#!/usr/bin/env python3
"""Convert pytorch-fid's Inception-v3 weights into the safetensors file `synergen eval score --task
fid --inception FILE` reads.

FID is only comparable with published numbers when it uses the exact network of TensorFlow's FID
code. pytorch-fid ships a PyTorch port of it as pt_inception-2015-12-05-6726825d.pth (released at
https://github.com/mseitzer/pytorch-fid/releases/tag/fid_weights). This project cannot download it
for you: fetch it yourself on a machine with internet access, then run

  pip install torch safetensors numpy
  python3 scripts/reference/export_fid_inception.py \\
      --weights pt_inception-2015-12-05-6726825d.pth --out fid_inception_v3.safetensors

Tensor names stay those of the .pth state dict (Conv2d_1a_3x3.conv.weight, Mixed_5b.branch1x1.bn
.running_mean, ...), i.e. the attribute names of pytorch-fid's FID Inception. The 1008-class `fc`
layer (unused for pool3 features) and the batch-norm step counters are dropped. All tensors are
stored as float32; the metadata names the model, so the Java loader can tell a wrong file.
"""
import argparse
import sys

MODEL_NAME = "pytorch-fid-inception-v3"
# The convolutions of the FID network, in the order the forward pass uses them; every one is a
# torchvision BasicConv2d: conv (no bias) + batch norm (eps 0.001) + ReLU.
STEM = ["Conv2d_1a_3x3", "Conv2d_2a_3x3", "Conv2d_2b_3x3", "Conv2d_3b_1x1", "Conv2d_4a_3x3"]
BLOCK_CONVS = {
    "A": ["branch1x1", "branch5x5_1", "branch5x5_2", "branch3x3dbl_1", "branch3x3dbl_2", "branch3x3dbl_3",
          "branch_pool"],
    "B": ["branch3x3", "branch3x3dbl_1", "branch3x3dbl_2", "branch3x3dbl_3"],
    "C": ["branch1x1", "branch7x7_1", "branch7x7_2", "branch7x7_3", "branch7x7dbl_1", "branch7x7dbl_2",
          "branch7x7dbl_3", "branch7x7dbl_4", "branch7x7dbl_5", "branch_pool"],
    "D": ["branch3x3_1", "branch3x3_2", "branch7x7x3_1", "branch7x7x3_2", "branch7x7x3_3", "branch7x7x3_4"],
    "E": ["branch1x1", "branch3x3_1", "branch3x3_2a", "branch3x3_2b", "branch3x3dbl_1", "branch3x3dbl_2",
          "branch3x3dbl_3a", "branch3x3dbl_3b", "branch_pool"],
}
BLOCKS = [("Mixed_5b", "A"), ("Mixed_5c", "A"), ("Mixed_5d", "A"), ("Mixed_6a", "B"), ("Mixed_6b", "C"),
          ("Mixed_6c", "C"), ("Mixed_6d", "C"), ("Mixed_6e", "C"), ("Mixed_7a", "D"), ("Mixed_7b", "E"),
          ("Mixed_7c", "E")]
PARTS = ["conv.weight", "bn.weight", "bn.bias", "bn.running_mean", "bn.running_var"]


def expected_names():
    convs = STEM + [f"{block}.{conv}" for block, kind in BLOCKS for conv in BLOCK_CONVS[kind]]
    return [f"{conv}.{part}" for conv in convs for part in PARTS]


def export(state_dict, out_path):
    """Write the FID network's tensors of a pytorch-fid (Inception3-named) state dict."""
    import torch
    from safetensors.torch import save_file
    names = expected_names()
    missing = [n for n in names if n not in state_dict]
    if missing:
        raise SystemExit(f"not pytorch-fid's FID Inception state dict: {len(missing)} tensors missing, "
                         f"e.g. {missing[:3]}")
    unexpected = [k for k in state_dict if k not in names and not k.startswith("fc.")
                  and not k.endswith("num_batches_tracked")]
    if unexpected:
        raise SystemExit(f"unexpected tensors {unexpected[:5]}: is this the FID Inception (not torchvision's)?")
    tensors = {n: state_dict[n].detach().to(torch.float32).contiguous() for n in names}
    save_file(tensors, out_path, metadata={"format": "pt", "model": MODEL_NAME})
    return tensors


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--weights", required=True,
                   help="pytorch-fid's pt_inception-2015-12-05-6726825d.pth (download it yourself; see above)")
    p.add_argument("--out", required=True, help="the .safetensors file to write")
    args = p.parse_args()
    import torch
    state = torch.load(args.weights, map_location="cpu", weights_only=True)
    tensors = export(state, args.out)
    print(f"wrote {len(tensors)} tensors to {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
