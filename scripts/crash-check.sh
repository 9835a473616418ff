#!/usr/bin/env bash
# Crash safety of ingestion: kill -9 `asset3d ingest` at random points five times, then let it finish;
# the store must hold exactly the catalog's assets and one caption vector per asset, no more, no less.
#   scripts/crash-check.sh ASSET3D_BINARY [embedded|postgres]   (postgres: DATABASE_URL of an empty database)
set -euo pipefail
BIN=${1:?usage: crash-check.sh ASSET3D_BINARY [embedded|postgres]}
STORE=${2:-embedded}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DATA=$(mktemp -d /tmp/asset3d-crash.XXXXXX)
trap 'rm -rf "$DATA"' EXIT
export ASSET3D_MODELS_DIR=${ASSET3D_MODELS_DIR:-$ROOT/data/models}
ingest() { "$BIN" ingest --catalog sh3d --spaces lexical,minilm --store "$STORE" --data-dir "$DATA" --log-level error; }
for round in 1 2 3 4 5; do
  ingest >/dev/null 2>&1 &
  pid=$!
  delay=$(awk -v seed="$RANDOM" 'BEGIN { srand(seed); printf "%.1f", 1 + rand() * 19 }')
  sleep "$delay"
  if kill -9 "$pid" 2>/dev/null; then
    echo "[crash-check] round $round: killed ingest after ${delay}s ($("$BIN" status --store "$STORE" --data-dir "$DATA" | tr '\n' ' '))"
  else
    echo "[crash-check] round $round: ingest finished before ${delay}s"
  fi
  wait "$pid" 2>/dev/null || true
done
ingest >/dev/null
status=$("$BIN" status --json --store "$STORE" --data-dir "$DATA")
echo "$status" | python3 -c '
import json, sys
status = json.load(sys.stdin)
minilm = next((s for s in status["spaces"] if s["name"] == "minilm"), {"counts": {}})
text_en = minilm["counts"].get("text_en", 0)
print(f"[crash-check] after 5 kills and a rerun: {status['"'"'assets'"'"']} assets, {text_en} minilm text_en vectors")
sys.exit(0 if status["assets"] == 820 and text_en == 820 else 1)
'
