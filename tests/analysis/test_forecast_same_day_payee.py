"""A payee paid several times on the same day (a till's card lines, a big ledger's many lines a
day) has a median gap of 0 days: the forecast used to step forward by 0 days for ever and hang
the build (found with ``bench/scale.py --big-ledger``). It is not carried: it has no cadence."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

PORTFOLIO = """[portfolio]
name = "Till Co"
as_of = 2026-11-20

[[entities]]
id = "till"
name = "Till Co"
kind = "hauling"
ledger = "ledger.csv"
"""


def _ledger() -> str:
    lines = ["date,account,amount,memo,counterparty,reference,type"]
    lines.append("2026-06-01,Assets:Checking,5000.00,Opening balance,,,opening")
    for month in range(6, 12):
        for day in (1, 10, 20):
            for _ in range(3):  # three fuel stops the same day: gap 0
                lines.append(f"2026-{month:02d}-{day:02d},Expenses:Fuel,40.00,Fuel,Shell,,")
        lines.append(f"2026-{month:02d}-05,Expenses:Rent,900.00,Yard rent,Dock Yard,,")
        lines.append(f"2026-{month:02d}-15,Income:Jobs,2000.00,Jobs,Clients,,")
    return "\n".join(lines) + "\n"


def test_a_payee_paid_several_times_a_day_does_not_hang_the_forecast(tmp_path: Path) -> None:
    (tmp_path / "portfolio.toml").write_text(PORTFOLIO)
    (tmp_path / "ledger.csv").write_text(_ledger())
    run = subprocess.run(
        [sys.executable, "-m", "execbrief", "build", "--report", "cfo", "--format", "text"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    assert "Shell" not in _forecast_lines(run.stdout)  # no cadence: not carried
    assert "Dock Yard" in _forecast_lines(run.stdout)  # the monthly rent still is


def _forecast_lines(text: str) -> str:
    start = text.find("13-WEEK")
    return text[start:] if start >= 0 else text
