"""Writes a small folder catalog with a GLB model, so the browser test exercises the viewer's GLTFLoader
path on a real `model/gltf-binary` response (the Sweet Home 3D catalog serves OBJ), and a second asset
whose .glb file is corrupt, for the viewer's "cannot be shown" message.

    .venv/bin/python tests/browser/glb_catalog.py DIR     # then: asset3d ingest --catalog folder:DIR

The assets' ids contain a "/" (as gobjaverse ids do), so the page's percent-encoding is exercised too.
"""
import json
import struct
import sys
from pathlib import Path

ASSET_ID = "test/glb-cube"
BROKEN_ID = "test/broken-glb"  # a .glb that is not glTF inside: the viewer must say it cannot show it

# One colour per face: +x, -x, +y, -y, +z, -z.
FACES = [
    ((1, 0, 0), (0.85, 0.25, 0.2)),
    ((-1, 0, 0), (0.2, 0.45, 0.85)),
    ((0, 1, 0), (0.95, 0.8, 0.2)),
    ((0, -1, 0), (0.3, 0.3, 0.3)),
    ((0, 0, 1), (0.25, 0.7, 0.35)),
    ((0, 0, -1), (0.6, 0.3, 0.7)),
]


def cube():
    """Positions, normals and colours (24 vertices, flat faces) and 36 triangle indices of a unit cube."""
    positions, normals, colours, indices = [], [], [], []
    for normal, colour in FACES:
        axis = [i for i, value in enumerate(normal) if value][0]
        u, v = [i for i in range(3) if i != axis]
        base = len(positions)
        for a, b in ((-1, -1), (1, -1), (1, 1), (-1, 1)):
            point = [0.0, 0.0, 0.0]
            point[axis] = 0.5 * normal[axis]
            point[u], point[v] = 0.5 * a, 0.5 * b
            positions.append(point)
            normals.append([float(n) for n in normal])
            colours.append(list(colour))
        # Counter-clockwise seen from outside: flip when (u × v) points against the normal.
        cross = [0, 0, 0]
        cross[3 - u - v] = 1 if (u, v) in ((0, 1), (1, 2), (2, 0)) else -1
        same = cross[axis] * normal[axis] > 0
        quad = (0, 1, 2, 0, 2, 3) if same else (0, 2, 1, 0, 3, 2)
        indices += [base + i for i in quad]
    return positions, normals, colours, indices


def glb() -> bytes:
    positions, normals, colours, indices = cube()
    floats = lambda rows: b"".join(struct.pack("<3f", *row) for row in rows)
    chunks = [floats(positions), floats(normals), floats(colours), struct.pack(f"<{len(indices)}H", *indices)]
    views, offset, binary = [], 0, b""
    for number, chunk in enumerate(chunks):
        views.append({"buffer": 0, "byteOffset": offset, "byteLength": len(chunk),
                      "target": 34963 if number == 3 else 34962})
        binary += chunk + b"\0" * (-len(chunk) % 4)
        offset = len(binary)
    document = {
        "asset": {"version": "2.0", "generator": "AssetRetrieval3D test fixture"},
        "scene": 0,
        "scenes": [{"nodes": [0]}],
        "nodes": [{"mesh": 0, "name": "cube"}],
        "meshes": [{"primitives": [{"attributes": {"POSITION": 0, "NORMAL": 1, "COLOR_0": 2}, "indices": 3,
                                    "material": 0}]}],
        "materials": [{"pbrMetallicRoughness": {"baseColorFactor": [1, 1, 1, 1], "metallicFactor": 0.0,
                                                 "roughnessFactor": 0.8}}],
        "accessors": [
            {"bufferView": 0, "componentType": 5126, "count": 24, "type": "VEC3",
             "min": [-0.5, -0.5, -0.5], "max": [0.5, 0.5, 0.5]},
            {"bufferView": 1, "componentType": 5126, "count": 24, "type": "VEC3"},
            {"bufferView": 2, "componentType": 5126, "count": 24, "type": "VEC3"},
            {"bufferView": 3, "componentType": 5123, "count": len(indices), "type": "SCALAR"},
        ],
        "bufferViews": views,
        "buffers": [{"byteLength": len(binary)}],
    }
    text = json.dumps(document, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 4)
    body = struct.pack("<I4s", len(text), b"JSON") + text + struct.pack("<I4s", len(binary), b"BIN\0") + binary
    return struct.pack("<4sII", b"glTF", 2, 12 + len(body)) + body


def write(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "cube.glb").write_bytes(glb())
    entry = {"id": ASSET_ID, "name": "Colour test cube", "name_zh": "彩色测试立方体",
             "caption_en": "a small cube with six coloured faces", "caption_cn": "六个面颜色不同的小立方体",
             "category": "Test", "category_zh": "测试", "license": "CC0", "creator": "AssetRetrieval3D tests",
             "mesh": "cube.glb", "dimensions": {"width": 10, "depth": 10, "height": 10}}
    (folder / "broken.glb").write_bytes(b"glTF" + b"\x02\x00\x00\x00" + b"not really a model" * 4)
    broken = {"id": BROKEN_ID, "name": "Broken model file", "name_zh": "损坏的模型文件",
              "caption_en": "a model file that cannot be read", "category": "Test", "category_zh": "测试",
              "license": "CC0", "mesh": "broken.glb"}
    lines = [json.dumps(item, ensure_ascii=False) for item in (entry, broken)]
    (folder / "assets.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: glb_catalog.py DIR")
    print(write(Path(sys.argv[1])))
