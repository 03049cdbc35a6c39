"""Budget against actual, worked by hand, on both budget layouts docs/formats.md describes.

As of 2026-06-15 the last complete month is 2026-05. Ledger, May: Fuel 300 + 250 = 550, Rent
1,000, Charters income 4,000 (2,500 + 1,500).
- Fuel: actual 550, budget 400 -> variance +150, +37.5%;
- Rent: 1,000 against 1,000 -> 0, +0.0%;
- Charters: 4,000 against 5,000 -> -1,000, -20.0% (the largest variance);
- the June budget lines are not compared (June is not complete).

QuickBooks Online's "Budget vs. Actuals" report (tests/data/layouts/quickbooks-online-budget-vs-
actuals.csv, as CSV and as the Excel workbook QuickBooks writes) gives the same three lines: only
its Budget cells of account rows are read (its Actual columns, its Total, Gross Profit and Net
Income rows and its Total column are not), so nothing is counted twice.
"""

from __future__ import annotations

import csv
import json
import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from execbrief import pipeline
from execbrief.analysis.forecast import ForecastResult
from execbrief.cli import cli
from execbrief.config import load_config
from execbrief.plugins import get_registry

LAYOUTS = Path(__file__).parent.parent / "data" / "layouts"
QBO = "quickbooks-online-budget-vs-actuals.csv"

CONFIG = """\
[portfolio]
name = "Budget Test"
as_of = 2026-06-15

[[entities]]
id = "gull"
name = "Gull Boats"
kind = "charter"
ledger = "ledger.csv"
{budget}
"""
LEDGER = """\
date,account,amount,memo,counterparty,reference,type
2026-04-01,Assets:Checking,20000.00,Opening balance,,,opening
2026-05-02,Expenses:Fuel,300.00,Fuel,Shell,,
2026-05-03,Income:Charters,2500.00,Charter,Stripe,C1,
2026-05-05,Expenses:Rent,1000.00,Slip,Marina,,
2026-05-20,Expenses:Fuel,250.00,Fuel,Shell,,
2026-05-28,Income:Charters,1500.00,Charter,Stripe,C2,
"""
OWN = """\
month,account,amount
2026-05,Fuel,400
2026-05,Expenses:Rent,1000
2026-05,Charters,5000
2026-06,Fuel,400
"""
# Xero's Budget Manager layout (help.xero.com, "Import or export your budget"): the account name
# with its code in parentheses in the first column, months (MMM-YYYY) across the first row; a
# blank cell is no budget. The first row's first cell is not read.
XERO = """\
,Apr-2026,May-2026,Jun-2026
Charters (200),5000.00,5000.00,5000.00
Fuel (420),400.00,400.00,
Rent (469),1000.00,1000.00,1000.00
"""
EXPECTED = [
    ("Charters", Decimal("4000"), Decimal("5000"), Decimal("-1000"), Decimal("-20")),
    ("Fuel", Decimal("550"), Decimal("400"), Decimal("150"), Decimal("37.5")),
    ("Rent", Decimal("1000"), Decimal("1000"), Decimal("0"), Decimal("0")),
]


def _write(root: Path, budget: str | None, name: str = "budget.csv") -> Path:
    line = f'budget = "{name}"' if budget is not None else ""
    (root / "portfolio.toml").write_text(CONFIG.format(budget=line))
    (root / "ledger.csv").write_text(LEDGER)
    if budget is not None:
        (root / name).write_text(budget)
    return root / "portfolio.toml"


def _qbo_xlsx(path: Path) -> None:
    """The QuickBooks Online CSV fixture as QuickBooks' Excel export holds it: the same rows,
    amounts as numbers (percent cells as fractions), empty cells empty."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    with (LAYOUTS / QBO).open(newline="") as handle:
        for row in csv.reader(handle):
            sheet.append([_cell(c) for c in row])
    book.save(path)


def _cell(text: str) -> object:
    if not text:
        return None
    plain = text.replace("$", "").replace(",", "").strip()
    if plain.endswith("%"):
        return float(plain[:-1]) / 100
    try:
        return float(plain)
    except ValueError:
        return text


def _result(path: Path) -> ForecastResult:
    registry = get_registry(fresh=True)
    config = load_config(path, registry.option_models(), environ={})
    snapshot = pipeline.collect(config, registry, date(2026, 6, 15), key=b"k")
    result = pipeline.context(snapshot, config, registry).analysis("forecast")
    assert isinstance(result, ForecastResult)
    return result


@pytest.mark.parametrize(
    "layout",
    [OWN, XERO, "qbo-csv", "qbo-xlsx"],
    ids=["execbrief-csv", "xero-export", "qbo-budget-vs-actuals-csv", "qbo-budget-vs-actuals-xlsx"],
)
def test_variances_of_the_last_complete_month(tmp_path: Path, layout: str) -> None:
    if layout == "qbo-csv":
        shutil.copy(LAYOUTS / QBO, tmp_path / QBO)
        path = _write(tmp_path, None)
        path.write_text(CONFIG.format(budget=f'budget = "{QBO}"'))
    elif layout == "qbo-xlsx":
        _qbo_xlsx(tmp_path / "qbo.xlsx")
        path = _write(tmp_path, None)
        path.write_text(CONFIG.format(budget='budget = "qbo.xlsx"'))
    else:
        path = _write(tmp_path, layout)
    result = _result(path)
    assert not result.notes
    got = sorted(
        (
            v.account.split(":")[-1],
            v.actual.amount,
            v.budget.amount,
            v.variance.amount,
            v.percent,
        )
        for v in result.budget
    )
    assert got == EXPECTED
    assert {v.month for v in result.budget} == {"2026-05"}
    fuel = next(v for v in result.budget if v.account.endswith("Fuel"))
    assert [p.cite() for p in fuel.provenance][1:] == ["ledger.csv:3-6 (2 rows)"]


def test_the_brief_names_the_largest_variances(tmp_path: Path) -> None:
    path = _write(tmp_path, OWN)
    out = CliRunner().invoke(cli, ["build", "-c", str(path), "--report", "cfo", "--format", "json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    doc = data[0] if isinstance(data, list) else data
    summary = [b["text"] for b in doc["summary"]]
    assert (
        "Largest budget variances (2026-05): Gull Boats Charters $4K against $5K (-20.0%); "
        "Gull Boats Fuel $550 against $400 (+37.5%); Gull Boats Expenses:Rent $1K against $1K "
        "(+0.0%)." in summary
    )


def test_without_a_budget_the_report_says_how_to_add_one(tmp_path: Path) -> None:
    path = _write(tmp_path, None)
    out = CliRunner().invoke(
        cli, ["build", "-c", str(path), "--report", "cfo", "--format", "markdown"]
    )
    assert out.exit_code == 0, out.output
    assert 'No budget: add budget = "budgets/ENTITY.csv"' in out.output


def test_the_report_says_where_the_budget_came_from(tmp_path: Path) -> None:
    shutil.copy(LAYOUTS / QBO, tmp_path / QBO)
    path = _write(tmp_path, None)
    path.write_text(CONFIG.format(budget=f'budget = "{QBO}"'))
    out = CliRunner().invoke(
        cli, ["build", "-c", str(path), "--report", "cfo", "--format", "markdown"]
    )
    assert out.exit_code == 0, out.output
    text = " ".join(out.output.split())
    assert (
        f"Budget from Gull Boats: {QBO}, QuickBooks Online's Budget vs. Actuals report (its Budget "
        "columns only; its Actual columns and Total rows are not read). Actuals from each "
        "entity's ledger." in text
    )
    # every budget line cites its own row of the export
    result = _result(path)
    fuel = next(v for v in result.budget if v.account == "Fuel")
    assert fuel.provenance[0].cite() == f"{QBO}:15"


ONE_MONTH = """\
"Gull Boats LLC"
"Budget vs. Actuals: FY26 Budget - FY26 P&L"
"May 2026"

"","Actual","Budget","over Budget","% of Budget"
"Income","","","",""
"   Charters","4,000.00","5,000.00","-1,000.00","80.00 %"
"Total Income","$4,000.00","$5,000.00","$-1,000.00","80.00 %"
"Expenses","","","",""
"   Fuel","550.00","400.00","150.00","137.50 %"
"   Rent","1,000.00","1,000.00","0.00","100.00 %"
"Total Expenses","$1,550.00","$1,400.00","$150.00","110.71 %"
"Net Income","$2,450.00","$3,600.00","$-1,150.00","68.06 %"



"Accrual Basis Monday, June 15, 2026 09:12 AM GMT-04:00"
"""


def test_a_one_period_report_takes_its_month_from_the_date_range(tmp_path: Path) -> None:
    result = _result(_write(tmp_path, ONE_MONTH))
    got = sorted((v.account, v.budget.amount, v.variance.amount) for v in result.budget)
    assert got == [
        ("Charters", Decimal("5000"), Decimal("-1000")),
        ("Fuel", Decimal("400"), Decimal("150")),
        ("Rent", Decimal("1000"), Decimal("0")),
    ]


def test_a_report_over_several_months_in_one_column_is_refused_in_one_sentence(
    tmp_path: Path,
) -> None:
    path = _write(tmp_path, ONE_MONTH.replace('"May 2026"', '"January - June 2026"'))
    registry = get_registry(fresh=True)
    config = load_config(path, registry.option_models(), environ={})
    snapshot = pipeline.collect(config, registry, date(2026, 6, 15), key=b"k")
    (error,) = [e for e in snapshot.errors() if e.source_kind == "budget"]
    assert error.provenance.source == "budget.csv"
    assert "line 5" in error.message or error.provenance.line == 5, error
    assert (
        "the Budget column 3 covers the report's period 'January - June 2026', not one month: "
        "run the report with Display columns by Month" in error.message
    )
    assert _result(path).budget == ()


def test_a_broken_excel_budget_is_one_sentence_and_the_run_goes_on(tmp_path: Path) -> None:
    path = _write(tmp_path, None)
    path.write_text(CONFIG.format(budget='budget = "qbo.xlsx"'))
    (tmp_path / "qbo.xlsx").write_bytes(b"not a zip at all")
    registry = get_registry(fresh=True)
    config = load_config(path, registry.option_models(), environ={})
    snapshot = pipeline.collect(config, registry, date(2026, 6, 15), key=b"k")
    (error,) = [e for e in snapshot.errors() if e.source_kind == "budget"]
    assert error.provenance.source == "qbo.xlsx"
    assert error.message.startswith("is not an Excel workbook openpyxl can read")
    assert _result(path).budget == ()
