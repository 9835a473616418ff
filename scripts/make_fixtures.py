#!/usr/bin/env python3
"""Regenerates every committed test fixture from Hugging Face's, tokenizers' and PIL's own code.

Run by hand in the oracle environment (../shared/recipes/oracle-env.sh), never in CI:

    ~/.local/share/oracle-venv/bin/python scripts/make_fixtures.py [name ...]

Each module in scripts/fixtures/ defines `main(repo_root: pathlib.Path)` and writes the fixtures of
one test target. With names, only those generators run (e.g. `images`, `text_models`).
"""
import importlib.util
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
GENERATORS = ROOT / "scripts" / "fixtures"


def main(argv):
    wanted = set(argv)
    found = sorted(p for p in GENERATORS.glob("*.py") if not p.name.startswith("_"))
    for path in found:
        if wanted and path.stem not in wanted:
            continue
        spec = importlib.util.spec_from_file_location(f"fixtures_{path.stem}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        print(f"== {path.stem}", flush=True)
        module.main(ROOT)
    unknown = wanted - {p.stem for p in found}
    if unknown:
        sys.exit(f"unknown generators: {', '.join(sorted(unknown))}")


if __name__ == "__main__":
    main(sys.argv[1:])
