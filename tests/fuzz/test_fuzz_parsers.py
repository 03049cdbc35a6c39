"""Every file parser survives generated hostile input for a bounded time: no exception out of a
source (a row, page or file error is a fine answer) and no input read for over 2 s.

About 1.5 s of inputs per parser (15 parsers, about 23 s in all). The seed is fixed so a failure
reproduces; ``EXECBRIEF_FUZZ_SEED`` picks another, and ``bench/fuzz.py`` runs the same harness
for longer and prints its counts.
"""

from __future__ import annotations

import os
from pathlib import Path

from fuzz.harness import SLOW_SECONDS, run, targets

SECONDS_PER_PARSER = 1.5
#: Inputs up to 64 KB here (bench/fuzz.py: 200 KB). The two quadratic cases the bench found are
#: linear now (a run of private-key BEGIN lines; a note of unclosed ``[``), but markdown-it itself
#: takes 3 to 12 s a MB of dense one-character lines, so a 200 KB note can still pass 2 s here.
MAX_INPUT = 64_000


def test_every_parser_survives_hostile_input(tmp_path: Path) -> None:
    seed = int(os.environ.get("EXECBRIEF_FUZZ_SEED", "17"))
    tally = run(tmp_path, SECONDS_PER_PARSER, seed, max_input=MAX_INPUT)
    assert set(tally.inputs) == {t.name for t in targets()}
    assert all(count >= 3 for count in tally.inputs.values()), tally.inputs
    assert not tally.crashes, (
        f"seed {seed}: {len(tally.crashes)} crashes; first:\n{tally.crashes[0]}"
    )
    assert not tally.slow, f"seed {seed}: inputs over {SLOW_SECONDS} s: {tally.slow[:3]}"
