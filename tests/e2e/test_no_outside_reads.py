"""A ledger cannot mail local files: `send` on the demo portfolio whose beancount ledger includes a
file outside the portfolio folder refuses the include, and nothing of that file reaches a mail,
`collect --json` or the store."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from execbrief.examples import copy_example
from kits.outputs import every_byte_written

BEANCOUNT = Path(__file__).parents[1] / "data" / "beancount" / "blue-passage.beancount"
MARKER = "OUTSIDE-PASSWD-LINE-7Q2"
OUTSIDE = "".join(f"{MARKER}-{n}:x:{n}:{n}::/home/u{n}:/bin/sh\n" for n in range(35))


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "execbrief", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.slow
def test_an_include_outside_the_portfolio_reaches_no_output(tmp_path: Path) -> None:
    outside = tmp_path / "passwd"
    outside.write_text(OUTSIDE)
    root = copy_example(tmp_path / "harbor")
    ledger = root / "ledgers" / "blue-passage.beancount"  # the demo's books, kept as beancount
    ledger.write_text(f'include "{outside}"\n' + BEANCOUNT.read_text())
    config_file = root / "portfolio.toml"
    config_file.write_text(
        config_file.read_text().replace(
            "ledgers/blue-passage.csv", "ledgers/blue-passage.beancount"
        )
    )
    config = str(root / "portfolio.toml")

    collected = run(["collect", "-c", config, "--json"], root)
    assert collected.returncode == 0, collected.stderr
    assert (
        f'include \\"{str(outside)[:57]}...\\" points outside the portfolio folder'
        in collected.stdout
        or f'include \\"{outside}\\" points outside the portfolio folder' in collected.stdout
    )
    sent = run(["send", "-c", config, "--json"], root)
    assert sent.returncode in (0, 1), sent.stderr

    written = every_byte_written(root, {"ledgers"})
    mails = [name for name, _ in written if name.endswith(".eml")]
    assert len(mails) >= 10
    assert any(":snapshots" in name for name, _ in written), "the store holds the snapshot"
    hits = [name for name, data in written if MARKER.encode() in data]
    hits += [
        name
        for name, text in (("collect", collected.stdout + collected.stderr), ("send", sent.stdout))
        if MARKER in text
    ]
    assert hits == []
    # the reports say the ledger was skipped and why
    cfo = next(data for name, data in written if name.endswith(".eml") and b"CFO" in data)
    assert b"blue-passage.beancount" in cfo
