"""Seconds a MB of each parser on each pathological shape (issue 17): OFX statements, site pages.

Run from the repository root::

    .venv/bin/python bench/parsers.py                     # the OFX and page shapes
    .venv/bin/python bench/parsers.py --shapes ofx-transactions html-deep-nesting --repeat 5
    .venv/bin/python bench/parsers.py --all               # every shape, code and notes too

The shapes are those of ``tests/sources/test_linear_parsers.py`` (an ordinary file of each kind
and the hostile ones: 100k nested or unclosed tags, a huge single value, ...), each built at
256 KB and at 1 MB and read by the real source in a fresh child process, which measures the CPU
seconds of the read alone. Shown per shape: the least of ``--repeat`` runs at each size, seconds
a MB at 1 MB, the growth from 256 KB to 1 MB (linear is 4, quadratic 16), the records and the
first problem reported. The test suite holds the same shapes to generous bounds; this prints the
figures.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "sources"))

from test_linear_parsers import SHAPES, SMALL, run_child

DEFAULT = [name for name, (kind, file, _) in SHAPES.items() if kind == "site" or "ofx" in file]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shapes", nargs="+", choices=sorted(SHAPES), default=DEFAULT)
    parser.add_argument("--all", action="store_true", help="every shape of the test")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each shape and size")
    args = parser.parse_args()
    names = list(SHAPES) if args.all else args.shapes
    best: dict[str, float] = {}
    results: dict[str, dict[str, object]] = {}
    with tempfile.TemporaryDirectory(prefix="parsers-") as folder:
        for _ in range(args.repeat):
            for name, result in run_child(
                [*names, *(f"{n}@{SMALL}" for n in names)], Path(folder)
            ).items():
                seconds = float(result["seconds"])  # type: ignore[arg-type]
                best[name] = min(best.get(name, seconds), seconds)
                results[name] = result
    print(f"{'shape':<32} {'256 KB s':>9} {'s a MB':>7} {'growth':>7}  records, problem")
    for name in names:
        small, big = best[f"{name}@{SMALL}"], best[name]
        growth = f"{big / small:7.1f}" if small >= 0.01 else f"{'-':>7}"
        errors = results[name]["errors"]
        problem = str(errors[0])[:60] if isinstance(errors, list) and errors else ""
        print(f"{name:<32} {small:9.3f} {big:7.3f} {growth}  {results[name]['records']}, {problem}")


if __name__ == "__main__":
    main()
