#!/usr/bin/env bash
# The demo: installs what is missing, builds, ingests Debian's Sweet Home 3D catalog (820 real models)
# into the embedded store and serves the API and the page on http://127.0.0.1:8000.
#   ASSET3D_DATA_DIR (default ./data), ASSET3D_PORT (default 8000), SPACES (default lexical,minilm).
# Renders 8 views, a thumbnail and a GLB per asset (the page shows textured models and matched views).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
scripts/setup.sh --runtime
swift build -c release --product asset3d
BIN=$(swift build -c release --show-bin-path)/asset3d
"$BIN" ingest --catalog sh3d --spaces "${SPACES:-lexical,minilm}" --render
echo "[demo] open http://${ASSET3D_HOST:-127.0.0.1}:${ASSET3D_PORT:-8000}/"
exec "$BIN" serve
