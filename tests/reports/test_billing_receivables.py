"""Receivables read from a Xero Account Transactions export's Accounts Receivable section (issue
14), and billing citations that cite a client's own lines only.

Fixture: tests/data/layouts/xero-account-transactions-receivables.csv, laid out as Xero exports
the report (title rows, one heading per account with its Opening Balance, lines, Total and
Closing Balance rows, the basis footer). Worked by hand, as of 2026-03-31, terms 30 days:

- Accounts Receivable (610): Opening Balance 1,500.00 (line 14, an invoice of last year,
  INV-0098, Marlin Co); 12 Jan Marlin Co pays 1,000.00 of it (line 15); INV-0101 Jane Roe
  1,200.00 (16) paid 10 Feb (18); INV-0102 Kestrel Ltd 2,250.50 (17), 1,000.00 paid 2 Mar (20);
  INV-0103 Jane Roe 640.25 (19); INV-0104 Kestrel Ltd 310.40 (21); Closing Balance 2,701.15
  (line 23) = 1,500 + 4,401.15 - 3,200.
- Owed: INV-0102 2,250.50 - 1,000 = 1,250.50 (due 7 Mar: 24 days late, 1-30); INV-0103 640.25
  (due 22 Mar: 9 days late, 1-30); INV-0104 310.40 (due 14 Apr: Current); not itemised
  1,500 - 1,000 = 500.00 (lines 14 and 15). Total 1,250.50 + 640.25 + 310.40 + 500 = 2,701.15,
  the export's own Closing Balance. Overdue 1,890.75.
- By customer: Kestrel Ltd 1,250.50 + 310.40 = 1,560.90 (lines 17 and 21: line 19 between them
  is Jane Roe's, so never 17-21); Jane Roe 640.25 (line 19).
- Invoiced in the export 4,401.15, collected 1,200 + 1,000 = 2,200.00 (Marlin's 1,000 paid an
  invoice of before the export, not one of its own): collection rate 2,200 / 4,401.15 = 49.99%.
"""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from execbrief.analysis import books
from execbrief.cli import cli
from execbrief.records.timesheets import TimeEntry
from execbrief.snapshot import Provenance

FIXTURE = Path(__file__).resolve().parents[1] / "data" / "layouts"
XERO = "xero-account-transactions-receivables.csv"
BOOKS = "books/Account_Transactions.csv"
CONFIG = """[portfolio]
name = "Gull"
as_of = 2026-03-31

[[entities]]
id = "gull"
name = "Gull Charters"
kind = "{kind}"
ledger = {{ path = "{books}", account_types = {{ "Business Bank Account (090)" = "asset", "Accounts Receivable (610)" = "asset", "Sales (200)" = "income" }} }}
{extra}"""


def _portfolio(
    tmp_path: Path, extra: str = "", books_text: str | None = None, kind: str = "charter"
) -> Path:
    (tmp_path / "books").mkdir()
    target = tmp_path / BOOKS
    if books_text is None:
        shutil.copy(FIXTURE / XERO, target)
    else:
        target.write_text(books_text)
    config = tmp_path / "portfolio.toml"
    config.write_text(CONFIG.format(books=BOOKS, extra=extra, kind=kind))
    return config


def _billing(config: Path) -> tuple[str, dict[str, Any]]:
    args = ["build", "-c", str(config), "--no-cache", "--jobs", "1", "--report", "billing"]
    text = CliRunner().invoke(cli, args, catch_exceptions=False)
    doc = CliRunner().invoke(cli, [*args, "--format", "json"], catch_exceptions=False)
    assert text.exit_code == 0 and doc.exit_code == 0, text.stdout[-400:]
    return " ".join(text.stdout.split()), json.loads(doc.stdout)


def _table(doc: dict[str, Any], title: str) -> dict[str, Any]:
    return next(
        b
        for s in doc["sections"]
        for b in s["blocks"]
        if b["type"] == "table" and (b["title"] or "").startswith(title)
    )


def _rows(table: dict[str, Any]) -> list[tuple[Any, ...]]:
    """Each row as its text and money cells, and the (source, line, end line) it cites."""
    return [
        (
            *(Decimal(c["amount"]) if isinstance(c, dict) else c for c in row["cells"]),
            [(p["source"], p["line"], p["end_line"]) for p in row["provenance"]],
        )
        for row in table["rows"]
    ]


def _metrics(doc: dict[str, Any]) -> dict[str, Any]:
    return {
        m["id"]: m["value"]
        for s in doc["sections"]
        for b in s["blocks"]
        if b["type"] == "metrics"
        for m in b["metrics"]
    }


def test_xero_receivables_are_owed_by_customer_and_aged(tmp_path: Path) -> None:
    text, doc = _billing(_portfolio(tmp_path))
    metrics = _metrics(doc)
    assert Decimal(metrics["billing.receivable"]["amount"]) == Decimal("2701.15")
    assert Decimal(metrics["billing.collection_rate"]["value"]) == Decimal("49.99")
    assert "billing.unbilled" not in metrics  # no time log: no "$0 of unbilled work"
    assert _rows(_table(doc, "Receivables by age")) == [
        ("Current", Decimal("310.40"), "INV-0104", [(BOOKS, 21, None)]),
        ("1-30", Decimal("1890.75"), "INV-0102, INV-0103", [(BOOKS, 17, None), (BOOKS, 19, None)]),
        ("31-60", Decimal("0.00"), "—", []),
        ("61-90", Decimal("0.00"), "—", []),
        ("90+", Decimal("0.00"), "—", []),
        ("Not itemised", Decimal("500.00"), "—", [(BOOKS, 14, None), (BOOKS, 15, 15)]),
    ]
    assert _rows(_table(doc, "Receivables by customer")) == [
        ("Kestrel Ltd", Decimal("1560.90"), [(BOOKS, 17, 17), (BOOKS, 21, 21)]),
        ("Jane Roe", Decimal("640.25"), [(BOOKS, 19, 19)]),
    ]
    assert "Unpaid on the as-of date; $2,701.15 in all." in text
    assert "due = invoice date + 30 days (the export has no due date" in text
    assert "Invoices issued $4,401.15, paid $2,200." in text
    assert "$2.7K receivable, from the ledger's receivable lines (Kestrel Ltd $1.6K" in text
    assert "$1,890.75 of overdue invoices" in text
    assert "Closing Balance" not in text  # the export's own balance agrees: nothing to say


def test_payment_terms_set_the_due_dates(tmp_path: Path) -> None:
    # 60-day terms: INV-0102 due 6 Apr, INV-0103 due 21 Apr: nothing is overdue on 31 Mar
    text, doc = _billing(_portfolio(tmp_path, "\n[analysis.operations]\nterms_days = 60\n"))
    aging = _rows(_table(doc, "Receivables by age"))
    assert aging[0][:3] == ("Current", Decimal("2201.15"), "INV-0102, INV-0103, INV-0104")
    assert "overdue" not in text.lower()


def test_a_receivable_line_that_was_not_read_is_said(tmp_path: Path) -> None:
    # INV-0103's line (19) has a date Xero never writes: the row is skipped, so the lines add up
    # to 2,701.15 - 640.25 = 2,060.90, not the export's Closing Balance on line 23
    lines = (FIXTURE / XERO).read_text().splitlines(keepends=True)
    assert lines[18].startswith("20 Feb 2026,Receivable Invoice,Jane Roe")
    lines[18] = lines[18].replace("20 Feb 2026", "20 Feb 20x6", 1)
    text, _ = _billing(_portfolio(tmp_path, books_text="".join(lines)))
    assert (
        "Accounts Receivable (610): the export's Closing Balance $2,701.15 "
        f"({BOOKS}:23) is not its opening and lines ($2,060.90); a receivable line was not read"
    ) in text


def test_an_invoices_register_is_the_receivables_not_the_ledger_too(tmp_path: Path) -> None:
    config = _portfolio(tmp_path, 'invoices = "invoices.csv"\n')
    (tmp_path / "invoices.csv").write_text(
        "number,client,issued,due,amount,paid_on\nINV-0104,Kestrel Ltd,2026-03-15,2026-04-14,310.40,\n"
    )
    text, doc = _billing(config)
    assert Decimal(_metrics(doc)["billing.receivable"]["amount"]) == Decimal("310.40")
    assert "from the ledger's receivable lines" not in text


def test_a_client_row_cites_its_own_lines_when_clients_interleave(tmp_path: Path) -> None:
    # Birch Ltd's unbilled entries are lines 2 and 4, Cedar's line 3 between them: Birch's row
    # cites :2 and :4, never :2-4 (which would cite Cedar's line as Birch's)
    config = _portfolio(tmp_path, 'timesheets = "time.csv"\n', kind="consultancy")
    (tmp_path / "time.csv").write_text(
        "date,client,person,hours,billable,rate,invoice\n"
        "2026-03-02,Birch Ltd,Ana,3.0,yes,100.00,\n"
        "2026-03-03,Cedar Partners,Ana,2.0,yes,150.00,\n"
        "2026-03-04,Birch Ltd,Ana,1.5,yes,100.00,\n"
        "2026-03-05,Birch Ltd,Ana,1.0,yes,100.00,\n"
    )
    _, doc = _billing(config)
    assert _rows(_table(doc, "Unbilled work by client and month")) == [
        (
            "Birch Ltd",
            "2026-03",
            3,
            "5.5",
            Decimal("550.00"),
            [("time.csv", 2, 2), ("time.csv", 4, 5)],
        ),
        ("Cedar Partners", "2026-03", 1, "2.0", Decimal("300.00"), [("time.csv", 3, 3)]),
    ]


def _entry(line: int, source: str = "t.csv") -> TimeEntry:
    from datetime import date

    return TimeEntry(
        "e", Provenance(source, line), date(2026, 3, 1), "c", "p", Decimal(1), True, None
    )


def test_runs_cite_only_the_lines_given() -> None:
    got = books.runs([_entry(9), _entry(2), _entry(3), _entry(4), _entry(7), _entry(3, "u.csv")])
    assert [(p.source, p.line, p.end_line) for p in got] == [
        ("t.csv", 2, 4),
        ("t.csv", 7, 7),
        ("t.csv", 9, 9),
        ("u.csv", 3, 3),
    ]


def test_receivable_lines_of_other_books_exports_are_not_read_as_invoices(tmp_path: Path) -> None:
    # QuickBooks Desktop writes the payment's line with no Num: its receivable lines cannot be
    # tied to their invoice by reference, so they are not turned into invoices (the invoice
    # would read as 1,200 overdue against a -1,200 rest); the entity has nothing to audit.
    config = _portfolio(tmp_path, books_text="")
    shutil.copy(FIXTURE / "quickbooks-desktop-general-ledger.csv", tmp_path / BOOKS)
    text, _ = _billing(config)
    assert "No entity has timesheets or invoices to audit." in text
    assert "receivable lines" not in text


def test_a_consultancy_kpis_read_the_xero_receivables(tmp_path: Path) -> None:
    # the CEO's KPI framework: overdue receivables tracked from the AR section ($1,890.75 past
    # due, worked above); no time log, so unbilled work is missing, never a tracked $0
    config = _portfolio(tmp_path, kind="consultancy")
    args = ["build", "-c", str(config), "--no-cache", "--jobs", "1", "--report", "ceo"]
    done = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert done.exit_code == 0, done.stdout[-400:]
    text = " ".join(done.stdout.split())
    assert "KPI Overdue receivables Status tracked Value $1,890.75" in text
    assert "KPI Unbilled work Status missing" in text


def test_a_credit_note_of_its_own_reference_is_said(tmp_path: Path) -> None:
    # A credit note CN-0001 of 810.40 for Kestrel Ltd, on a line of its own (line 22) with its own
    # reference: tied to no invoice of the export. Not itemised: 1,500 opening - 1,000 (Marlin)
    # - 810.40 = -310.40, credit the export does not explain: said, and the invoice it settles
    # still shows as owed. Total 1,250.50 + 640.25 + 310.40 - 310.40 = 1,890.75, the export's
    # own Closing Balance (2,701.15 - 810.40).
    lines = (FIXTURE / XERO).read_text().splitlines(keepends=True)
    credit = (
        "20 Mar 2026,Receivable Credit Note,Kestrel Ltd,Fuel surcharge waived,CN-0001,,"
        '810.40,"1,890.75",-810.40,0.00\n'
    )
    lines.insert(21, credit)  # after INV-0104's line 21, before the Total row
    lines[22] = lines[22].replace('"3,200.00"', '"4,010.40"')  # the Total row
    lines[23] = lines[23].replace('"2,701.15"', '"1,890.75"')  # the Closing Balance row
    text, doc = _billing(_portfolio(tmp_path, books_text="".join(lines)))
    assert Decimal(_metrics(doc)["billing.receivable"]["amount"]) == Decimal("1890.75")
    assert (
        "Note: Credits of $310.40 are tied to no invoice of the export and exceed its Opening "
        "Balance (a credit note or an unapplied payment, with a reference of its own): an invoice "
        "they settle still shows as owed"
    ) in text
    assert "is not its opening and lines" not in text  # the export's own arithmetic agrees
