#!/usr/bin/env python3
"""Fixtures for the Java FID feature extractor: a narrow random FID Inception, its features and FID.

The real network (pytorch-fid's pt_inception-2015-12-05-6726825d.pth, ~95 MB) cannot be downloaded
here and is too big to commit. So this script builds pytorch-fid's own FID InceptionV3
(pytorch_fid.inception: FIDInceptionA/C/E_1/E_2, torchvision's InceptionB/D and stem) with every
convolution's channel count divided by 16 (the 3 input channels kept), by swapping torchvision's
BasicConv2d for a narrower subclass while the model is built. Block structure, kernel shapes,
strides, paddings, pooling and concatenation are pytorch-fid's code, unmodified; the weights are
random (seeded), the batch-norm statistics too, so nothing is downloaded. Features are 2048/16 = 128-d.

Outputs (into --out):
  fid_inception_narrow.safetensors  the network, written by export_fid_inception.export (same names)
  fid_images/a/*.png, fid_images/b/*.png  small RGB images of different sizes
  fid_inception_reference.json      per-image features (pytorch-fid's get_activations: PIL loading,
                                    ToTensor, bilinear resize to 299 inside the model, [-1, 1]); features
                                    with clean-fid's bicubic resize (PIL, float, per channel, clipped)
                                    fed to the same model; pytorch-fid's calculate_frechet_distance
                                    between the two folders' statistics
  fid_images_{a,b}_stats.npz        those statistics (mu, sigma) as pytorch-fid saves them

  pip install pytorch-fid==0.3.0 torch torchvision safetensors pillow numpy scipy
  python3 scripts/reference/fid_inception_fixture.py --out eval-job/src/test/resources/reference
"""
import argparse
import contextlib
import json
import os
import sys
from unittest import mock

import numpy as np
import torch
import torchvision
from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from export_fid_inception import export  # noqa: E402

WIDTH_DIVISOR = 16  # --width-divisor 1 builds the full-size network (a ~95 MB file: not for committing)
SEED = 20241209


def narrow(channels):
    return channels if channels == 3 else channels // WIDTH_DIVISOR


class NarrowBasicConv2d(torchvision.models.inception.BasicConv2d):
    def __init__(self, in_channels, out_channels, **kwargs):
        super().__init__(narrow(in_channels), narrow(out_channels), **kwargs)


def narrow_fid_inception():
    """pytorch-fid's InceptionV3 (pool3 output), narrowed, without loading the pretrained file."""
    from pytorch_fid import inception as fid
    with contextlib.ExitStack() as stack:
        stack.enter_context(mock.patch.object(torchvision.models.inception, "BasicConv2d", NarrowBasicConv2d))
        # fid_inception_v3 would download the weights and load them: keep the fresh ones instead
        stack.enter_context(mock.patch.object(fid, "load_state_dict_from_url", lambda *a, **k: None))
        stack.enter_context(mock.patch.object(torchvision.models.inception.Inception3, "load_state_dict",
                                              lambda self, state, *a, **k: None))
        model = fid.InceptionV3([fid.InceptionV3.BLOCK_INDEX_BY_DIM[2048]])
    # He-scaled conv weights and non-trivial batch-norm parameters keep activations O(1) through
    # ~20 layers, so the comparison is not dominated by values near zero.
    g = torch.Generator().manual_seed(SEED)
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, torch.nn.Conv2d):
                fan_in = m.weight[0].numel()
                m.weight.copy_(torch.randn(m.weight.shape, generator=g) * (2.0 / fan_in) ** 0.5)
            elif isinstance(m, torch.nn.BatchNorm2d):
                n = m.num_features
                m.weight.copy_(0.5 + torch.rand(n, generator=g))
                m.bias.copy_(0.2 * torch.randn(n, generator=g))
                m.running_mean.copy_(0.2 * torch.randn(n, generator=g))
                m.running_var.copy_(0.5 + torch.rand(n, generator=g))
    return model.eval()


def inception3_state(model):
    """InceptionV3 keeps Inception3's own module objects in its blocks; recover the .pth names."""
    return {f"{attr}.{k}": v for attr, where in ATTR_MODULES.items() for k, v in where(model).state_dict().items()}


# where each Inception3 attribute sits in pytorch-fid's InceptionV3.blocks
ATTR_MODULES = {
    "Conv2d_1a_3x3": lambda m: m.blocks[0][0], "Conv2d_2a_3x3": lambda m: m.blocks[0][1],
    "Conv2d_2b_3x3": lambda m: m.blocks[0][2], "Conv2d_3b_1x1": lambda m: m.blocks[1][0],
    "Conv2d_4a_3x3": lambda m: m.blocks[1][1],
    **{name: (lambda i: lambda m: m.blocks[2][i])(i) for i, name in enumerate(
        ["Mixed_5b", "Mixed_5c", "Mixed_5d", "Mixed_6a", "Mixed_6b", "Mixed_6c", "Mixed_6d", "Mixed_6e"])},
    **{name: (lambda i: lambda m: m.blocks[3][i])(i) for i, name in enumerate(["Mixed_7a", "Mixed_7b", "Mixed_7c"])},
}


def make_images(root):
    """Gradients plus blocky noise (compresses well), different sizes; one is larger than 299, so
    the resizes shrink it as well as enlarge the others."""
    rng = np.random.default_rng(SEED)
    sizes = {"a": [(40, 56), (64, 48), (301, 320)], "b": [(50, 50), (33, 71), (80, 60), (24, 24)]}
    files = {}
    for folder, shapes in sizes.items():
        os.makedirs(os.path.join(root, folder), exist_ok=True)
        files[folder] = []
        for i, (h, w) in enumerate(shapes):
            y, x = np.mgrid[0:h, 0:w]
            base = np.stack([255 * x / w, 255 * y / h, 127 + 100 * np.sin((x + y) / 5.0)], axis=-1)
            noise = rng.normal(0, 40 if folder == "a" else 15, ((h + 7) // 8, (w + 7) // 8, 3))
            noise = noise.repeat(8, axis=0).repeat(8, axis=1)[:h, :w]
            img = np.clip(base + noise, 0, 255).astype(np.uint8)
            path = os.path.join(root, folder, f"img{i}.png")
            Image.fromarray(img, "RGB").save(path)
            files[folder].append(path)
    return files


def bicubic_features(model, files):
    """clean-fid's "clean" resize (PIL bicubic on float32 channels, clipped), then the same network."""
    out = []
    resize_off = model.resize_input
    model.resize_input = False
    for path in files:
        img = np.asarray(Image.open(path).convert("RGB"), dtype=np.float32)
        chans = [np.asarray(Image.fromarray(img[:, :, c], mode="F").resize((299, 299), Image.BICUBIC))
                 for c in range(3)]
        resized = np.clip(np.stack(chans, axis=-1), 0, 255) / 255.0
        x = torch.from_numpy(resized.astype(np.float32)).permute(2, 0, 1)[None]
        with torch.no_grad():
            out.append(model(x)[0].squeeze(3).squeeze(2)[0].numpy())
    model.resize_input = resize_off
    return np.array(out)


def main():
    global WIDTH_DIVISOR
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", required=True)
    p.add_argument("--width-divisor", type=int, default=WIDTH_DIVISOR,
                   help="divide every width by this (16 for the committed fixture; 1 = real widths)")
    args = p.parse_args()
    WIDTH_DIVISOR = args.width_divisor
    from pytorch_fid.fid_score import calculate_frechet_distance, get_activations

    torch.set_num_threads(2)
    model = narrow_fid_inception()
    state = inception3_state(model)
    export(state, os.path.join(args.out, "fid_inception_narrow.safetensors"))
    files = make_images(os.path.join(args.out, "fid_images"))
    reference = {"width_divisor": WIDTH_DIVISOR, "seed": SEED, "features": {}}
    stats = {}
    for folder, paths in files.items():
        feats = get_activations(paths, model, batch_size=1, dims=2048 // WIDTH_DIVISOR, device="cpu",
                                num_workers=0)
        bicubic = bicubic_features(model, paths)
        for path, f, fb in zip(paths, feats, bicubic):
            name = f"{folder}/{os.path.basename(path)}"
            reference["features"][name] = {"bilinear": f.astype(np.float64).tolist(),
                                           "bicubic": fb.astype(np.float64).tolist()}
        # the statistics as pytorch-fid computes and saves them (save_fid_stats: np.savez_compressed)
        stats[folder] = (np.mean(feats, axis=0), np.cov(feats, rowvar=False))
        np.savez_compressed(os.path.join(args.out, f"fid_images_{folder}_stats.npz"),
                            mu=stats[folder][0], sigma=stats[folder][1])
    reference["fid_bilinear"] = float(calculate_frechet_distance(*stats["a"], *stats["b"]))
    with open(os.path.join(args.out, "fid_inception_reference.json"), "w") as f:
        json.dump(reference, f)
    print(f"FID (bilinear) = {reference['fid_bilinear']}", file=sys.stderr)


if __name__ == "__main__":
    main()
