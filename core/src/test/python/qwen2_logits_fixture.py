"""Writes tiny random Qwen2 models and their Hugging Face logits as JSON fixtures for
org.synergen.model.Qwen2ParityTest (the Java test needs no Python).

    python3 core/src/test/python/qwen2_logits_fixture.py core/src/test/resources/model
"""
import json
import sys

import torch
from transformers import Qwen2Config, Qwen2ForCausalLM

CASES = {
    # grouped-query attention, odd sizes
    "qwen2_gqa": dict(vocab_size=37, hidden_size=24, num_hidden_layers=2, num_attention_heads=4,
                      num_key_value_heads=2, intermediate_size=40, rope_theta=10000.0, rms_norm_eps=1e-6),
    # plain multi-head attention, another RoPE base
    "qwen2_mha": dict(vocab_size=29, hidden_size=32, num_hidden_layers=2, num_attention_heads=4,
                      num_key_value_heads=4, intermediate_size=56, rope_theta=1000000.0, rms_norm_eps=1e-5),
}


def main(out_dir):
    for name, kw in CASES.items():
        torch.manual_seed(7)
        cfg = Qwen2Config(tie_word_embeddings=False, initializer_range=0.1, **kw)
        model = Qwen2ForCausalLM(cfg).eval()
        # HF init leaves biases and norms at 0/1; randomise them so they are tested too.
        with torch.no_grad():
            for pname, p in model.named_parameters():
                if pname.endswith("bias") or "norm" in pname:
                    p.add_(torch.randn_like(p) * 0.1)
        tokens = torch.randint(0, kw["vocab_size"], (13,))
        with torch.no_grad():
            logits = model(tokens[None, :]).logits[0]
        fixture = {
            "config": kw,
            "tokens": tokens.tolist(),
            "logits": logits.flatten().tolist(),
            "params": {k: {"shape": list(v.shape), "data": v.flatten().tolist()}
                       for k, v in model.state_dict().items()},
        }
        with open(f"{out_dir}/{name}.json", "w") as f:
            json.dump(fixture, f)


if __name__ == "__main__":
    main(sys.argv[1])
