#!/usr/bin/env bash
# HTTP latency benchmark (release build, loopback, wrk): text queries over the Sweet Home 3D catalog and
# over a synthetic 100,000-asset store, for `lexical` and `minilm`. Prints p50/p90/p99 at one client and
# queries/s at eight, with the error count. Not a test: numbers are reported, not asserted.
#   scripts/bench-http.sh [ASSETS=100000] [SECONDS=10]
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
ASSETS=${1:-100000}
DURATION=${2:-10}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 2; }
swift build -c release --product asset3d >/dev/null
BIN=$(swift build -c release --show-bin-path)/asset3d
export ASSET3D_MODELS_DIR=${ASSET3D_MODELS_DIR:-$ROOT/data/models}
WORK=$(mktemp -d /tmp/asset3d-bench.XXXXXX)
PID=""
cleanup() { [ -n "$PID" ] && kill "$PID" 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

"$BIN" ingest --catalog sh3d --spaces lexical,minilm --data-dir "$WORK/sh3d" --log-level error >/dev/null 2>&1
"$BIN" bench dataset --assets "$ASSETS" --data-dir "$WORK/synthetic" --log-level error >/dev/null 2>&1

# Unique English queries (adjective pairs × nouns) so minilm embeds most of them instead of hitting its cache.
python3 - "$WORK/queries-unique.txt" <<'PY'
import itertools, random, sys
adjectives = "red blue green wooden metal glass modern classic small large white black leather folding round square".split()
nouns = "chair armchair sofa table desk bed lamp wardrobe bookcase stool cabinet bench mirror bathtub sink door window plant car bicycle piano fridge oven tree".split()
combos = [f"{a} {b} {n}" for a, b in itertools.permutations(adjectives, 2) for n in nouns]
random.Random(7).shuffle(combos)
open(sys.argv[1], "w").write("\n".join(combos) + "\n")
PY

printf '%-10s %-8s %8s %8s %8s %8s %10s %7s\n' dataset algo p50_ms p90_ms p99_ms max_ms "q/s(c=8)" errors
for dataset in sh3d synthetic; do
  PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  "$BIN" serve --port "$PORT" --data-dir "$WORK/$dataset" --log-level error >"$WORK/server.log" 2>&1 &
  PID=$!
  until curl -sf "http://127.0.0.1:$PORT/health" >/dev/null; do sleep 0.2; done
  for algorithm in lexical minilm; do
    queries=$ROOT/scripts/bench/queries-mixed.txt
    [ "$algorithm" = minilm ] && queries=$WORK/queries-unique.txt
    run() { ALGORITHM=$algorithm QUERIES=$queries wrk -t"$1" -c"$2" -d"$3"s -s "$ROOT/scripts/bench/search.lua" \
              "http://127.0.0.1:$PORT" | tail -n 1; }
    # Warm-up: wait for the first answer (index build, model load), then 2 s of load for caches.
    until curl -sf -m 120 "http://127.0.0.1:$PORT/search/text" -H 'content-type: application/json' \
        -d "{\"query\":\"chair\",\"algorithm\":\"$algorithm\"}" >/dev/null; do sleep 0.5; done
    run 1 1 2 >/dev/null
    latency=$(run 1 1 "$DURATION")
    throughput=$(run 2 8 "$DURATION")
    python3 - "$dataset" "$algorithm" "$latency" "$throughput" <<'PY'
import json, sys
dataset, algorithm, latency, throughput = sys.argv[1], sys.argv[2], json.loads(sys.argv[3]), json.loads(sys.argv[4])
print(f"{dataset:10} {algorithm:8} {latency['p50_ms']:8.2f} {latency['p90_ms']:8.2f} {latency['p99_ms']:8.2f} "
      f"{latency['max_ms']:8.2f} {throughput['rps']:10.1f} {latency['errors'] + throughput['errors']:7d}")
PY
  done
  kill "$PID"; wait "$PID" 2>/dev/null || true; PID=""
done
