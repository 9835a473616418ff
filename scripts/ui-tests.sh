#!/usr/bin/env bash
# Web page and API-compatibility tests against a live server. Builds nothing: give it the asset3d binary.
#
#   scripts/ui-tests.sh .build/debug/asset3d
#
# Ingests the Sweet Home 3D catalog (lexical + minilm) and a one-asset GLB folder catalog
# (tests/browser/glb_catalog.py) into a temporary data dir, starts `asset3d serve` on a
# free port, waits for /health, runs tests/compat (the original demo's client, now asserting) and
# tests/browser (headless Chromium), saves screenshots under $CI_OUTPUT_DIR/screenshots (default
# ci-output/screenshots), stops the server and exits non-zero when anything failed.
# Needs scripts/setup.sh first (.venv with selenium + requests, chromium, chromium-driver, the MiniLM link).
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BIN=${1:-}
if [ -z "$BIN" ] || [ ! -x "$BIN" ]; then
  echo "usage: scripts/ui-tests.sh PATH/TO/asset3d   (build it first: swift build)" >&2
  exit 2
fi
BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")
PYTHON="$ROOT/.venv/bin/python"
[ -x "$PYTHON" ] || { echo "ui-tests: $PYTHON is missing; run scripts/setup.sh" >&2; exit 2; }
OUT=${CI_OUTPUT_DIR:-$ROOT/ci-output}
SHOTS="$OUT/screenshots"
mkdir -p "$SHOTS"
rm -f "$SHOTS"/*.png  # no stale pictures from an earlier run
export ASSET3D_MODELS_DIR=${ASSET3D_MODELS_DIR:-$ROOT/data/models}

say() { printf '[ui-tests] %s\n' "$*"; }
DATA=$(mktemp -d /tmp/asset3d-ui.XXXXXX)
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null
    for _ in $(seq 1 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$DATA"
}
trap cleanup EXIT
started=$(date +%s)

say "ingest: Sweet Home 3D catalog, spaces lexical,minilm -> $DATA"
if ! "$BIN" ingest --catalog sh3d --spaces lexical,minilm --data-dir "$DATA" >"$OUT/ui-ingest.log" 2>&1; then
  tail -n 20 "$OUT/ui-ingest.log"
  say "ingest failed (log: $OUT/ui-ingest.log)"
  exit 1
fi
# A one-asset folder catalog with a GLB model (id "test/glb-cube"): the viewer's GLTFLoader path.
"$PYTHON" "$ROOT/tests/browser/glb_catalog.py" "$DATA/glb-catalog" >/dev/null
if ! "$BIN" ingest --catalog "folder:$DATA/glb-catalog" --spaces lexical,minilm --data-dir "$DATA" \
     >>"$OUT/ui-ingest.log" 2>&1; then
  tail -n 20 "$OUT/ui-ingest.log"
  say "ingest of the GLB fixture failed (log: $OUT/ui-ingest.log)"
  exit 1
fi
say "ingest: done in $(( $(date +%s) - started )) s"

# A free port chosen by the kernel (the server binds it right after; collisions are retried below).
free_port() { "$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
BASE=""
for attempt in 1 2 3; do
  PORT=${ASSET3D_UI_PORT:-$(free_port)}
  "$BIN" serve --host 127.0.0.1 --port "$PORT" --data-dir "$DATA" >"$OUT/ui-server.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 300); do
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then break; fi
    if "$PYTHON" -c "import requests, sys; sys.exit(0 if requests.get('http://127.0.0.1:$PORT/health', timeout=1).ok else 1)" 2>/dev/null; then
      BASE="http://127.0.0.1:$PORT"
      break
    fi
    sleep 0.2
  done
  [ -n "$BASE" ] && break
  say "server did not come up on port $PORT (attempt $attempt)"
  kill -TERM "$SERVER_PID" 2>/dev/null; wait "$SERVER_PID" 2>/dev/null
  SERVER_PID=""
done
if [ -z "$BASE" ]; then
  tail -n 20 "$OUT/ui-server.log"
  say "the server did not answer /health (log: $OUT/ui-server.log)"
  exit 1
fi
say "server: $BASE (pid $SERVER_PID)"

failures=()
say "compat: tests/compat/test_client.py"
"$PYTHON" "$ROOT/tests/compat/test_client.py" --backend-url "$BASE" || failures+=(compat)
say "browser: tests/browser/test_ui.py (headless Chromium)"
"$PYTHON" "$ROOT/tests/browser/test_ui.py" --base-url "$BASE" --data-dir "$DATA" --screenshots "$SHOTS" \
  --glb-asset test/glb-cube || failures+=(browser)

say "screenshots: $SHOTS"
say "total: $(( $(date +%s) - started )) s"
if [ ${#failures[@]} -gt 0 ]; then
  say "FAILED: ${failures[*]} (server log: $OUT/ui-server.log)"
  exit 1
fi
say "all UI and compatibility tests passed"
