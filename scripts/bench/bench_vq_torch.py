#!/usr/bin/env python3
"""Emu3's PyTorch tokenizer encoder, timed like `synergen tokenize bench-vq` (random weights).

Prints torch=<version> and best_seconds=<s per image> for bench-vq to read.
Usage: bench_vq_torch.py --emu3 /path/to/Emu3 [--size 512] [--runs 2] [--threads N] [--config config.json]
"""
import argparse
import json
import os
import sys
import time

import torch


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--emu3", required=True, help="checkout of github.com/baaivision/Emu3")
    ap.add_argument("--size", type=int, default=512)
    ap.add_argument("--runs", type=int, default=2)
    ap.add_argument("--threads", type=int, default=0)
    ap.add_argument("--config", help="config.json (default: Emu3's published defaults)")
    args = ap.parse_args()
    if args.threads > 0:
        torch.set_num_threads(args.threads)
    sys.path.insert(0, os.path.abspath(args.emu3))
    from emu3.tokenizer.configuration_emu3visionvq import Emu3VisionVQConfig
    from emu3.tokenizer.modeling_emu3visionvq import Emu3VisionVQModel

    kwargs = json.load(open(args.config)) if args.config else {}
    model = Emu3VisionVQModel(Emu3VisionVQConfig(**kwargs)).eval()
    image = torch.rand(1, 3, args.size, args.size) * 2 - 1
    print(f"torch={torch.__version__}", flush=True)
    times = []
    with torch.no_grad():
        for i in range(args.runs + 1):
            t0 = time.perf_counter()
            model.encode(image)
            s = time.perf_counter() - t0
            print(f"encode {i}{' (warm-up)' if i == 0 else ''}: {s:.2f} s threads={torch.get_num_threads()}", flush=True)
            if i > 0:
                times.append(s)
    print(f"best_seconds={min(times):.4f}")


if __name__ == "__main__":
    main()
