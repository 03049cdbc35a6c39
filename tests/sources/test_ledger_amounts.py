"""Ledger amounts beyond the sane range (a trillion, six decimals, 40 characters) are row errors naming
file and line; the reports built over them do not fail."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from execbrief.examples import copy_example
from execbrief.records.ledger import Transaction
from execbrief.snapshot import SourceResult
from execbrief.sources.ledger import LedgerOptions, LedgerSource
from kits.files import request, write

HEAD = "date,account,amount,memo\n2026-01-01,Assets:Checking,1000.00,Opening balance\n"
HUGE = "1" * 27


def collect(root: Path, path: str) -> SourceResult:
    return LedgerSource().collect(request(root, path, LedgerOptions()))


@pytest.mark.parametrize(
    ("amount", "said"),
    [
        (
            HUGE,
            f"amount {HUGE[:21]}... is out of range; expected less than 1,000,000,000,000 either way",
        ),
        ("-1000000000000", "amount -1000000000000 is out of range"),
        ("0.1234567", "amount 0.1234567 has 7 decimal places; expected at most 6"),
        ("$" + "9" * 5000, "(5001 characters); expected an amount of at most 40 characters"),
    ],
)
def test_an_amount_beyond_the_range_is_a_row_error_at_its_line(
    tmp_path: Path, amount: str, said: str
) -> None:
    write(
        tmp_path,
        "books.csv",
        HEAD + f"2026-01-02,Income:Charters,{amount},big\n2026-01-03,Expenses:Fuel,20.00,fuel\n",
    )
    result = collect(tmp_path, "books.csv")
    (error,) = result.errors
    assert error.provenance.cite() == "books.csv:3"
    assert error.message.startswith("1 row skipped: line 3: ")
    assert said in error.message
    assert len(error.message) < 200
    assert [t.account for t in result.records if isinstance(t, Transaction)] == ["Expenses:Fuel"]


def test_the_largest_sane_amount_is_kept(tmp_path: Path) -> None:
    write(tmp_path, "books.csv", HEAD + "2026-01-02,Income:Charters,999999999999.999999,big\n")
    result = collect(tmp_path, "books.csv")
    assert result.errors == ()


def test_a_huge_beancount_posting_is_a_row_error_at_its_line(tmp_path: Path) -> None:
    write(
        tmp_path,
        "books.beancount",
        "2025-10-01 open Assets:Checking USD\n2025-10-01 open Income:Deliveries\n"
        f'2025-10-05 * "Acme" "Delivery"\n  Assets:Checking  {HUGE}.00 USD\n  Income:Deliveries\n'
        '2025-10-06 * "Acme" "Delivery"\n  Assets:Checking  10.00 USD\n  Income:Deliveries\n',
    )
    result = collect(tmp_path, "books.beancount")
    messages = [e.describe() for e in result.errors]
    assert messages == [
        f"books.beancount:3: 1 row skipped: line 3: amount {HUGE[:21]}... is out of range; "
        "expected less than 1,000,000,000,000 either way"
    ]
    assert len([r for r in result.records if isinstance(r, Transaction)]) == 1


def test_an_opening_balance_in_the_config_is_checked_too() -> None:
    with pytest.raises(ValueError, match="out of range"):
        LedgerOptions.model_validate(
            {"opening_balance": {"date": "2026-01-01", "amount": HUGE, "account": "Assets:Cash"}}
        )


@pytest.mark.slow
def test_reports_over_a_27_digit_amount_are_built(tmp_path: Path) -> None:
    root = copy_example(tmp_path / "harbor")
    ledger = root / "ledgers" / "harbor-charters.csv"
    ledger.write_text(ledger.read_text() + f"2026-11-02,Income:Charters,{HUGE},Typo,Stripe,,\n")
    line = len(ledger.read_text().splitlines())
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "execbrief",
            "build",
            "-c",
            str(root / "portfolio.toml"),
            "--format",
            "text",
            "--out",
            str(tmp_path / "out"),
        ],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert "InvalidOperation" not in done.stderr + done.stdout
    assert "Traceback" not in done.stderr
    built = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert len(built) >= 8, done.stderr
    cfo = (tmp_path / "out" / "cfo.txt").read_text()
    assert f"ledgers/harbor-charters.csv:{line}" in cfo
