"""Payroll from a bank export is a running cost: the spend rule says "recurring payments such as
payroll excluded", so Gusto lines are neither a spend without a revenue case nor an outlier
(outside testers saw `2 spend(s) over $2,500 ... GUSTO PAYROLL` flagged HIGH)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from execbrief.cli import cli

# Chase "Download account activity" CSV as the bank writes it (header, newest first, negative
# debits, a trailing empty column); the layout of tests/data/layouts/chase-checking.csv.
CHASE = """Details,Posting Date,Description,Amount,Type,Balance,Check or Slip #
DEBIT,11/28/2026,"GUSTO PAYROLL 112826 PPD ID: 1234567890",-2850.00,ACH_DEBIT,14100.00,,
DEBIT,11/20/2026,"AMAZON MKTPLACE PMTS AMZN.COM/BILL WA",-120.00,DEBIT_CARD,16950.00,,
DEBIT,11/15/2026,"NEW TRAILER DEPOSIT",-3100.00,ACH_DEBIT,17070.00,,
DEBIT,11/10/2026,"PADDLE SUPPLY CO",-90.00,DEBIT_CARD,20170.00,,
CREDIT,11/05/2026,"STRIPE TRANSFER ST-X9Y8Z7 PPD ID: 4270465600",1640.50,ACH_CREDIT,20260.00,,
DEBIT,10/30/2026,"GUSTO PAYROLL 103026 PPD ID: 1234567890",-2850.00,ACH_DEBIT,18619.50,,
DEBIT,10/20/2026,"PADDLE SUPPLY CO",-80.00,DEBIT_CARD,21469.50,,
DEBIT,10/12/2026,"AMAZON MKTPLACE PMTS AMZN.COM/BILL WA",-110.00,DEBIT_CARD,21549.50,,
CREDIT,10/02/2026,"STRIPE TRANSFER ST-A1B2C3 PPD ID: 4270465600",2400.00,ACH_CREDIT,21659.50,,
"""

TOML = """[portfolio]
name = "Kayak"
currency = "USD"
as_of = "2026-12-01"

[[entities]]
id = "kayak"
name = "Tidewater Kayak Tours"
kind = "other"
[entities.ledger]
path = "bank.csv"
sign = "bank"
date_format = "%m/%d/%Y"
default_accounts = {}
"""


def _build(root: Path, report: str) -> str:
    result = CliRunner().invoke(
        cli,
        ["build", "-c", str(root / "portfolio.toml"), "--report", report, "--jobs", "1"],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    return " ".join(result.output.split())


def test_bank_payroll_is_neither_an_unreviewed_spend_nor_an_outlier(tmp_path: Path) -> None:
    (tmp_path / "bank.csv").write_text(CHASE)
    (tmp_path / "portfolio.toml").write_text(TOML)
    cfo = _build(tmp_path, "cfo")
    assert (
        "Tidewater Kayak Tours: 1 spend over $2,500 with no revenue case: "
        "2026-11-15 Expenses:Uncategorized $3,100 (NEW TRAILER DEPOSIT)"
    ) in cfo
    accounting = _build(tmp_path, "accounting")
    assert "Unusual Expenses:Uncategorized charge of $2,850" not in accounting
