"""audit26: an outsider's portfolios for issue 18 (``--jobs``, the source cache, ``--portfolios``),
written from the docs alone, with figures worked by hand before the first run
(``tests/data/audit26/EXPECTED.md``). The auditor's own script runs every check on a fresh copy:
figures, the cache (a same-size edit with its time put back, a changed option), ``--jobs 1`` vs
``--jobs 2`` byte for byte, ``build``/``send --portfolios`` with a broken portfolio, exactly-once
sends, and every output, mail and store cell searched for the planted secrets (its F1: a
``[shared]`` env's password stood in clear in a bank memo; its F3: the notes compared with
October as of November's last day)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).parents[1] / "data" / "audit26" / "run_acceptance.py"


def test_every_check_of_the_audit_passes() -> None:
    done = subprocess.run(
        [sys.executable, str(SCRIPT)], capture_output=True, text=True, check=False, timeout=900
    )
    assert "FAIL" not in done.stdout, done.stdout
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count("PASS") == 12
