"""audit30: an outsider's portfolio written from the docs alone after this release's speed work
(the text renderer's tables, the built reports kept in lighter pickles, the collector frozen
during a run), with 41 figures worked by hand (one revised with the doc it tested) before the first run
(``tests/data/audit30/EXPECTED.md``). The auditor's ``audit.sh`` generates the portfolio with a
fresh planted key and checks: every figure to the cent, the cache (first, second and
``--no-cache`` builds byte for byte in all four formats, after a send, after an edit with its
time put back), ``--jobs 1`` vs ``--jobs 2``, ``--portfolios``, 78 columns, the store's blobs as
delivery.md describes them, and the key in no output, mail or store cell. Its findings fixed: a
long entity name's chart title ran to 101 columns; "on hand. never below zero."; three doc
sentences (the deposit share's bookings, "Since last report" before any send, the blobs)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).parents[1] / "data" / "audit30" / "audit.sh"


def test_every_check_of_the_audit_passes() -> None:
    cli = Path(sys.executable).with_name("execbrief")
    env = {**os.environ, "EXECBRIEF": str(cli), "PYTHON": sys.executable}
    done = subprocess.run(
        ["bash", str(SCRIPT)], capture_output=True, text=True, check=False, timeout=900, env=env
    )
    assert "FAIL" not in done.stdout, done.stdout
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count("PASS") == 38, done.stdout
