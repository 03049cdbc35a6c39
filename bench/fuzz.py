"""Run the parsers' fuzz harness (tests/fuzz/harness.py) for longer than the test suite does.

    .venv/bin/python bench/fuzz.py --seconds 30 --seed 1

prints, per parser, the inputs read, how many gave a reported error (fine), the slowest input,
then every crash and every input over 2 s (exit 1 when there is any).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from fuzz.harness import SLOW_SECONDS, Tally, run


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20.0, help="seconds per parser")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, help="save each crashing or slow input here")
    args = parser.parse_args()
    tally = Tally()
    with tempfile.TemporaryDirectory() as root:
        run(Path(root), args.seconds, args.seed, tally, keep=args.keep)
    print(f"{'parser':20} {'inputs':>8} {'errors':>8} {'slowest s':>10}")
    for name, count in tally.inputs.items():
        print(
            f"{name:20} {count:8} {tally.errors_reported.get(name, 0):8} "
            f"{tally.slowest.get(name, 0.0):10.2f}"
        )
    total = sum(tally.inputs.values())
    print(f"{total} inputs, {len(tally.crashes)} crashes, {len(tally.slow)} over {SLOW_SECONDS} s")
    for crash in tally.crashes:
        print("CRASH", crash, sep="\n")
    for slow in tally.slow:
        print("SLOW", slow)
    return 1 if tally.crashes or tally.slow else 0


if __name__ == "__main__":
    sys.exit(main())
