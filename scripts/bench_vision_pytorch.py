#!/usr/bin/env python3
"""Runs `asset3d bench encoders --vision ARCH` and the same workload through transformers on
PyTorch, in one run, and prints both with their ratio and peak memory.

Run with the oracle environment (../shared/recipes/oracle-env.sh), after `swift build -c release`:

    ~/.local/share/oracle-venv/bin/python scripts/bench_vision_pytorch.py [--arch siglip-base clip-b32]

Both sides build a model of the real size with random weights (the cost of a forward pass does
not depend on the values): SigLIP-base (patch 16, 224 px; google/siglip-base-patch16-224's
numbers) and CLIP ViT-B/32 (openai/clip-vit-base-patch32's numbers). Workload, the same on both
sides: 8 images of 3x224x224 pixel values, one per call ("batch 1") and all in one call
("batch 8"); 32 texts one per call and all in one call. SigLIP texts are always 64 tokens (its
processor pads to max_length); CLIP texts have the lengths of the first 32 built-in asset
descriptions (one token per word, one for the full stop, start and end), and PyTorch pads a batch
to its longest text with an attention mask, as transformers' processor does. Each process reports
the median of --runs timed passes after a warm-up pass; Swift and PyTorch alternate for --rounds
rounds so that a busy shared machine slows both alike. PyTorch uses 2 threads. Each side runs in
its own process under /usr/bin/time -v for its peak resident memory.
"""
import argparse
import json
import os
import pathlib
import statistics
import sys
import time

from bench_encoders_pytorch import default_texts, run_measured  # same texts, same /usr/bin/time wrapper

ROOT = pathlib.Path(__file__).resolve().parent.parent
IMAGES, TEXTS = 8, 32


def text_lengths(arch):
    """Token counts of the 32 workload texts (see VisionEncoderBenchmark.textLengths)."""
    if arch == "siglip-base":
        return [64] * TEXTS
    return [len(t.split()) + 3 for t in default_texts()[:TEXTS]]


def build_model(arch):
    from transformers import CLIPConfig, CLIPModel, SiglipConfig, SiglipModel
    if arch == "siglip-base":
        config = SiglipConfig(text_config=dict(vocab_size=32000, hidden_size=768, intermediate_size=3072,
                                               num_hidden_layers=12, num_attention_heads=12,
                                               max_position_embeddings=64),
                              vision_config=dict(hidden_size=768, intermediate_size=3072, num_hidden_layers=12,
                                                 num_attention_heads=12, image_size=224, patch_size=16))
        return SiglipModel(config).eval(), 32000
    config = CLIPConfig(text_config=dict(vocab_size=49408, hidden_size=512, intermediate_size=2048,
                                         num_hidden_layers=12, num_attention_heads=8, max_position_embeddings=77),
                        vision_config=dict(hidden_size=768, intermediate_size=3072, num_hidden_layers=12,
                                           num_attention_heads=12, image_size=224, patch_size=32),
                        projection_dim=512)
    return CLIPModel(config).eval(), 49408


def torch_worker(arch, runs):
    """Measures transformers on PyTorch; prints one JSON line."""
    import torch

    torch.set_num_threads(2)
    torch.manual_seed(0)
    model, vocab = build_model(arch)
    lengths = text_lengths(arch)
    ids = [[1 + (31 * i + 17 * j) % (vocab - 2) for j in range(n - 1)] + [vocab - 1] for i, n in enumerate(lengths)]
    pixels = torch.rand(IMAGES, 3, 224, 224) * 2 - 1

    def text_batch(rows):
        longest = max(len(r) for r in rows)
        input_ids = torch.tensor([r + [0] * (longest - len(r)) for r in rows])
        if arch == "siglip-base":  # no attention mask, as SigLIP's processor
            return dict(input_ids=input_ids)
        mask = torch.tensor([[1] * len(r) + [0] * (longest - len(r)) for r in rows])
        return dict(input_ids=input_ids, attention_mask=mask)

    def timed(work):
        seconds = []
        for run in range(runs + 1):
            start = time.perf_counter()
            with torch.inference_mode():
                work()
            if run > 0:
                seconds.append(time.perf_counter() - start)
        return statistics.median(seconds)

    def images(batch):
        for i in range(0, IMAGES, batch):
            torch.nn.functional.normalize(model.get_image_features(pixel_values=pixels[i:i + batch]), dim=-1)

    def texts(batch):
        for i in range(0, TEXTS, batch):
            torch.nn.functional.normalize(model.get_text_features(**text_batch(ids[i:i + batch])), dim=-1)

    result = {"imagesPerSecondBatch1": IMAGES / timed(lambda: images(1)),
              "imagesPerSecondBatch8": IMAGES / timed(lambda: images(8)),
              "textsPerSecondBatch1": TEXTS / timed(lambda: texts(1)),
              "textsPerSecondBatch32": TEXTS / timed(lambda: texts(32)),
              "torch": torch.__version__, "threads": torch.get_num_threads()}
    print(json.dumps(result))


KEYS = [("imagesPerSecondBatch1", "images b1", "img/s"), ("imagesPerSecondBatch8", "images b8", "img/s"),
        ("textsPerSecondBatch1", "texts b1", "txt/s"), ("textsPerSecondBatch32", "texts b32", "txt/s")]


def report(arch, rounds, load):
    swift = rounds[0][0]
    print(f"\n{arch}: {len(rounds)} alternating rounds (medians); load average before {load[0]:.2f}, after {load[1]:.2f}")
    print(f"{'':12}{'asset3d':>14}{'PyTorch ' + rounds[0][2]['torch']:>24}{'ratio':>8}   per-round ratios")
    for key, label, unit in KEYS:
        ours = statistics.median(r[0][key] for r in rounds)
        theirs = statistics.median(r[2][key] for r in rounds)
        ratios = [r[0][key] / r[2][key] for r in rounds]
        print(f"{label:12}{ours:>8.2f} {unit}{theirs:>18.2f} {unit}{statistics.median(ratios):>7.2f}x   "
              + " ".join(f"{x:.2f}" for x in ratios))
    for key, label in [("imageGFLOPSBatch8", "GFLOP/s images b8"), ("textGFLOPSBatch32", "GFLOP/s texts b32"),
                       ("imageGFLOPSBatch1", "GFLOP/s images b1"), ("textGFLOPSBatch1", "GFLOP/s texts b1")]:
        ours = statistics.median(r[0][key] for r in rounds)
        print(f"{label:20} asset3d {ours:6.1f}  ({100 * ours / swift['sgemmPeakGFLOPS']:.0f} % of sgemm peak "
              f"{swift['sgemmPeakGFLOPS']:.0f})")
    flops8 = swift["imageGFLOPSBatch8"] / swift["imagesPerSecondBatch8"]  # GFLOP per image
    torch8 = statistics.median(r[2]["imagesPerSecondBatch8"] for r in rounds) * flops8
    print(f"{'GFLOP/s images b8':20} PyTorch {torch8:6.1f}  ({flops8:.2f} GFLOP per image)")
    print(f"{'peak RSS':12}{max(r[1] for r in rounds):>8.0f} MiB{max(r[3] for r in rounds):>20.0f} MiB")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--asset3d", default=str(ROOT / ".build/release/asset3d"))
    parser.add_argument("--arch", nargs="+", default=["siglip-base", "clip-b32"], choices=["siglip-base", "clip-b32"])
    parser.add_argument("--runs", type=int, default=3, help="timed passes per process and setting")
    parser.add_argument("--rounds", type=int, default=2, help="alternating Swift/PyTorch rounds")
    parser.add_argument("--torch-worker", metavar="ARCH", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.torch_worker:
        torch_worker(args.torch_worker, args.runs)
        return
    for arch in args.arch:
        before = os.getloadavg()
        rounds = []
        for _ in range(args.rounds):
            swift, swift_rss = run_measured([args.asset3d, "bench", "encoders", "--vision", arch,
                                             "--runs", str(args.runs), "--json"])
            theirs, torch_rss = run_measured([sys.executable, __file__, "--runs", str(args.runs),
                                              "--torch-worker", arch])
            rounds.append((swift, swift_rss, theirs, torch_rss))
        report(arch, rounds, (before[0], os.getloadavg()[0]))


if __name__ == "__main__":
    main()
