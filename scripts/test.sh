#!/usr/bin/env bash
# Every test: installs what is missing, builds once, starts the services the tests need (a local
# PostgreSQL + pgvector), runs every test once, stops the services. The output ends with the test
# runner's summary.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
OUT=${CI_OUTPUT_DIR:-$ROOT/ci-output}
mkdir -p "$OUT"
step() { printf '\n=== %s (%s)\n' "$*" "$(date +%H:%M:%S)"; }

step "setup"
scripts/setup.sh

step "build (debug, tests included)"
if ! swift build --build-tests >"$OUT/build.log" 2>&1; then
  grep -E "error:" "$OUT/build.log" | head -40 || tail -n 40 "$OUT/build.log"
  echo "build failed (full log: $OUT/build.log)"
  exit 1
fi
tail -n 1 "$OUT/build.log"
BIN=$(swift build --show-bin-path)/asset3d

step "services: PostgreSQL + pgvector"
TEST_DATA=$(mktemp -d /tmp/asset3d-test.XXXXXX)
chmod 755 "$TEST_DATA"
PG_PORT=${ASSET3D_TEST_PG_PORT:-55432}
cleanup() {
  "$BIN" db stop --data-dir "$TEST_DATA" --port "$PG_PORT" >/dev/null 2>&1 || true
  rm -rf "$TEST_DATA"
}
trap cleanup EXIT
eval "export $("$BIN" db start --data-dir "$TEST_DATA" --port "$PG_PORT" --database asset3d_test)"
echo "DATABASE_URL=$DATABASE_URL"

step "OpenAPI document (openapi-spec-validator)"
.venv/bin/python -c "
import json, sys
from openapi_spec_validator import validate
validate(json.load(open('Sources/Server/OpenAPI/openapi.json')))
print('openapi.json is a valid OpenAPI 3.1 document')"

set +e
failed=()
step "web page and original-client compatibility (headless Chromium)"
# Each step's output is kept in a log too, so a failure can be shown again at the very end (CI keeps
# only the tail of the output).
CI_OUTPUT_DIR="$OUT" scripts/ui-tests.sh "$BIN" 2>&1 | tee "$OUT/ui-tests.log"
[ "${PIPESTATUS[0]}" -eq 0 ] || failed+=("ui-tests")

step "crash safety: kill -9 ingest five times, then finish"
scripts/crash-check.sh "$BIN" 2>&1 | tee "$OUT/crash-check.log"
[ "${PIPESTATUS[0]}" -eq 0 ] || failed+=("crash-check")

step "crash safety on PostgreSQL, then the recall monitor on what was ingested"
# A database of its own: the web-page step has already ingested into $DATABASE_URL's database.
{ eval "export $("$BIN" db start --data-dir "$TEST_DATA" --port "$PG_PORT" --database asset3d_crash)" &&
  scripts/crash-check.sh "$BIN" postgres &&
  "$BIN" db recall --space minilm --queries 20 --json --log-level error | python3 -c '
import json, sys
reports = json.load(sys.stdin)
text = next(r for r in reports if r["kind"] == "text_en")
print(f"[recall] minilm text_en: recall@{text['"'"'k'"'"']} {text['"'"'recall'"'"']:.3f} over {text['"'"'queries'"'"']} queries (HNSW ef_search {text['"'"'efSearch'"'"']})")
# 820 caption vectors: the HNSW walk at the default ef_search sees nearly all of them.
sys.exit(0 if text["queries"] == 20 and text["recall"] >= 0.95 else 1)
'; } 2>&1 | tee "$OUT/crash-check-postgres.log"
[ "${PIPESTATUS[0]}" -eq 0 ] || failed+=("crash-check-postgres")

[ ${#failed[@]} -eq 0 ] || echo "FAILED before swift test: ${failed[*]}"
step "swift test"
export ASSET3D_TEST_OUTPUT="$OUT"
swift test --skip-build 2>&1 | tee "$OUT/swift-test.log" | grep -v -E '^(Test Case|Test Suite|◇|↳)'
status=${PIPESTATUS[0]}
for name in "${failed[@]}"; do
  step "FAILED: $name (last lines of $OUT/$name.log; server log: $OUT/ui-server.log)"
  grep -E "✗|FAIL|Error|error|Traceback|assert" "$OUT/$name.log" | tail -n 25
  tail -n 25 "$OUT/$name.log"
  if [ "$name" = ui-tests ] && [ -f "$OUT/ui-server.log" ]; then
    echo "--- last lines of the server log"
    tail -n 15 "$OUT/ui-server.log"
  fi
  status=1
done
exit "$status"
