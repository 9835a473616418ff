"""Helpers for the browser test: a named-check runner, canvas pixel statistics, and a query image."""
import struct
import traceback
import zlib
from pathlib import Path

# Copies the viewer's WebGL canvas (drawn with preserveDrawingBuffer) into a 2D canvas and measures it:
# `covered` = share of pixels drawn (alpha > 8; the clear colour is transparent), `colours` = distinct
# colours among them (6 bits per channel), `lumaStd` = standard deviation of their luminance.
CANVAS_STATS_JS = """
const source = document.querySelector('#viewer canvas');
if (!source) return {error: 'no canvas in the viewer'};
const width = source.width, height = source.height;
if (!width || !height) return {error: 'the canvas has no size'};
const copy = document.createElement('canvas');
copy.width = width; copy.height = height;
const context = copy.getContext('2d');
context.drawImage(source, 0, 0);
const data = context.getImageData(0, 0, width, height).data;
let covered = 0, sum = 0, sumSquares = 0;
const colours = new Set();
for (let i = 0; i < data.length; i += 4) {
  if (data[i + 3] <= 8) continue;
  covered += 1;
  const luma = 0.2126 * data[i] + 0.7152 * data[i + 1] + 0.0722 * data[i + 2];
  sum += luma; sumSquares += luma * luma;
  if (colours.size < 4096) colours.add((data[i] >> 2) << 12 | (data[i + 1] >> 2) << 6 | (data[i + 2] >> 2));
}
const mean = covered ? sum / covered : 0;
return {width, height, covered: covered / (width * height), colours: colours.size,
        lumaStd: covered ? Math.sqrt(Math.max(0, sumSquares / covered - mean * mean)) : 0};
"""


class Checks:
    """Runs named checks, prints ✓/✗ with the reason, and keeps going after a failure."""

    def __init__(self):
        self.passed: list[str] = []
        self.failed: list[str] = []

    def run(self, name: str, step, fatal: bool = False):
        print(f"• {name}")
        try:
            step()
        except AssertionError as error:
            self.failed.append(name)
            print(f"✗ {name}: {error}")
            if fatal:
                raise
            return
        except Exception as error:  # a crash is a failure of this check, reported with its trace
            self.failed.append(name)
            print(f"✗ {name}: {type(error).__name__}: {error}")
            traceback.print_exc()
            if fatal:
                raise
            return
        self.passed.append(name)
        print(f"✓ {name}")

    def summary(self, suite: str) -> int:
        total = len(self.passed) + len(self.failed)
        if self.failed:
            print(f"{suite}: {len(self.failed)} of {total} checks failed: {', '.join(self.failed)}")
            return 1
        print(f"{suite}: all {total} checks passed")
        return 0


def find_icon(data_dir: Path | None) -> Path | None:
    """A catalog icon extracted by `asset3d ingest` (PNG), to upload as an image query."""
    if not data_dir:
        return None
    root = data_dir / "catalogs"
    if not root.is_dir():
        return None
    for path in sorted(root.rglob("*.png")):
        if path.stat().st_size > 2048:
            return path
    return None


def write_test_png(path: Path, size: int = 96) -> Path:
    """Writes an RGB PNG of a dark square on white (used when no catalog icon is at hand)."""
    rows = []
    for y in range(size):
        row = bytearray([0])  # filter type: none
        for x in range(size):
            inside = size // 4 <= x < 3 * size // 4 and size // 4 <= y < 3 * size // 4
            row += bytes((60, 70, 90) if inside else (255, 255, 255))
        rows.append(bytes(row))

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"".join(rows))) + chunk(b"IEND", b"")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(png)
    return path
