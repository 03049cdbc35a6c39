"""A portfolio written from docs/formats.md ("Export layouts", recipes) by a new user with six
exports as the tools write them (tests/data/layouts): a Wells Fargo download (no header line) and
the American Express card it pays, a bank's QFX and a card's OFX, Wave's accounting.csv. Every
report builds, and the CFO report's figures are the ones worked by hand below: a card's charges
are expenses once, a card moves no cash, a payment to a card is no income."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from click.testing import CliRunner

from execbrief.cli import cli

FIXTURES = Path(__file__).resolve().parents[1] / "data" / "layouts"
FILES = (
    "wells-fargo-checking.csv",
    "american-express-activity.csv",
    "bank-statement.qfx",
    "card-statement.ofx",
    "wave-accounting.csv",
)
PORTFOLIO = """[portfolio]
name = "Harbor Holdings"
currency = "USD"
stale_after_days = 400  # the Wave books end in February

[[entities]]
id = "gull-rock"
name = "Gull Rock Charters"
kind = "charter"

[[entities.ledger]]
path = "wells-fargo-checking.csv"
opening_balance = { date = 2026-09-30, amount = "9000.00", account = "Assets:Checking" }

[[entities.ledger]]
path = "american-express-activity.csv"

[[entities]]
id = "tide"
name = "Tide Tours"
kind = "other"
ledger = ["bank-statement.qfx", "card-statement.ofx"]

[[entities]]
id = "wave-co"
name = "Wave Co"
kind = "other"
ledger = "wave-accounting.csv"
"""


def portfolio(tmp_path: Path) -> Path:
    for name in FILES:
        shutil.copy(FIXTURES / name, tmp_path / name)
    path = tmp_path / "portfolio.toml"
    path.write_text(PORTFOLIO)
    return path


def flat(text: str) -> str:
    """One line, without the citation marks (``[13][3]``), whose numbers depend on the warnings."""
    return re.sub(r"\s+", " ", re.sub(r" ?\[[0-9,…]+\]", "", text))


def test_every_report_builds_and_the_cfo_figures_are_the_hand_worked_ones(tmp_path: Path) -> None:
    config = portfolio(tmp_path)
    args = ["-c", str(config), "--as-of", "2026-12-05"]
    checked = CliRunner().invoke(cli, ["check", *args[:2]], catch_exceptions=False)
    assert checked.exit_code == 0, checked.output
    for key in ("wells-fargo", "american-express", "wave"):
        assert f"(layout {key})" in flat(checked.output)
    out = tmp_path / "reports"
    built = CliRunner().invoke(cli, ["build", *args, "--out", str(out)], catch_exceptions=False)
    assert built.exit_code == 0, built.output
    cfo = flat((out / "cfo.txt").read_text())
    # Gull Rock: Wells Fargo in 1,940 + 620 = 2,560, out 600 + 200 + 310 = 1,110; the Amex
    # card's charges 425.50 + 310 + 18 - 75.50 = 678 (its 1,250 payment is no income);
    # cash 9,000 + 2,560 - 1,110 = 10,450 (the card moves none)
    assert "Gull Rock Charters Revenue $2,560 Expenses $1,788 Net $772" in cfo
    assert "Gull Rock Charters Cash $10,450" in cfo
    # Tide Tours: the QFX's 2,560 in, 960 out, LEDGERBAL 10,610; the card OFX's 120 + 64.25
    assert "Revenue $2,560 Expenses $1,144.25 Net $1,415.75" in cfo
    assert "Cash $10,610" in cfo
    # Wave: 5,000 opening - 45 + 1,200; portfolio cash 10,450 + 10,610 + 6,155 = 27,215
    assert "Wave Co Cash $6,155" in cfo
    assert "Portfolio cash $27.2K" in cfo and "Cash $27,215" in cfo
