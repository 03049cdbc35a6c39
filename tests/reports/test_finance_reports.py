"""The CFO, Accounting, rental, delivery-operations and billing reports, built from hand-made
records through the registered plugins: what matters first, every figure cited, the roll-up equal
to its parts, and the reconciliation gate."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from execbrief.config import Config, config_from_dict
from execbrief.document import BulletList, Chart, Document, Paragraph, Table
from execbrief.plugins import get_registry
from execbrief.reports.base import ReportContext
from execbrief.snapshot import Snapshot
from execbrief.values import Money, Period
from kits.ledger import balance, booking, invoice, snapshot, time_entry, trip, tx

ENTITIES = [("boats", "charter"), ("loft", "rental"), ("bp", "delivery"), ("tl", "consultancy")]
REPORTS = ("cfo", "accounting", "rental", "operations", "billing")


def usd(value: str | int) -> Money:
    return Money(Decimal(str(value)))


def records(extra: tuple[Any, ...] = ()) -> list[Any]:
    out: list[Any] = [
        balance("boats", "2026-01-01", 5000),
        booking("boats", "K1", "2026-01-10", "2026-06-15", "booked", "1000", "300"),
        tx("boats", "2026-01-10", "Income:Charters", 300, "Deposit", reference="K1"),
        tx("boats", "2026-02-05", "Income:Charters", 900, "Charter"),
        tx("boats", "2026-02-06", "Expenses:Misc", 700, "Card purchase"),
        tx("boats", "2026-03-06", "Expenses:Slip Fees", 400),
        balance("loft", "2026-01-01", 2000),
        tx("loft", "2026-01-03", "Income:Rent", 1500),
        tx("loft", "2026-02-03", "Income:Rent", 1200),
        tx("loft", "2026-03-03", "Expenses:Cleaning", 300),
        tx("loft", "2026-03-04", "Expenses:Mortgage Interest", 500),
        balance("bp", "2026-01-01", 1000),
        trip("bp", "T1", "2026-02-01", "2026-02-03", "300", "2000", "700"),
        tx("bp", "2026-02-03", "Income:Deliveries", 2000),
        balance("tl", "2026-01-01", 8000),
        tx("tl", "2026-02-28", "Expenses:Salaries", 3000, counterparty="Payroll"),
        tx("tl", "2026-03-10", "Income:Consulting", 1000),
        time_entry("tl", "2026-03-02", "A", "5", "100"),
        invoice("tl", "INV-1", "A", "2026-01-05", "2026-02-04", "1000", "2026-03-10"),
        invoice("tl", "INV-2", "B", "2026-02-05", "2026-03-07", "500"),
    ]
    return out + list(extra)


def context(snap: Snapshot) -> ReportContext:
    registry = get_registry()
    raw = {
        "portfolio": {"name": "Test Holdings"},
        "entities": [
            {
                "id": eid,
                "name": eid.title(),
                "kind": kind,
                **(
                    {"settings": {"operations": {"property_value": 200000}}}
                    if kind == "rental"
                    else {}
                ),
            }
            for eid, kind in ENTITIES
        ],
    }
    config: Config = config_from_dict(
        raw, Path("/tmp/portfolio.toml"), registry.option_models(), environ={}
    )
    return ReportContext(snap, config, Period.containing(snap.as_of), registry.analyses)


@pytest.fixture(scope="module")
def docs() -> dict[str, Document]:
    ctx = context(snapshot(ENTITIES, records()))
    registry = get_registry()
    return {name: registry.reports[name].build(ctx) for name in REPORTS}


def tables(doc: Document) -> list[Table]:
    return [b for s in doc.sections for b in s.blocks if isinstance(b, Table)]


def test_every_report_builds_reconciled_and_round_trips(docs: dict[str, Document]) -> None:
    registry = get_registry()
    for name, doc in docs.items():
        assert doc.report == name and doc.reconciled, (name, doc.warnings)
        assert doc.summary, name
        assert Document.from_dict(doc.to_dict()) == doc
        text = registry.renderers["text"].render(doc)
        assert "SOURCES" in text or not doc.provenance(), name


def test_cfo_rollup_row_is_the_sum_of_the_entities(docs: dict[str, Document]) -> None:
    pnl = next(t for t in tables(docs["cfo"]) if t.title and t.title.startswith("P&L by entity"))
    *entities, portfolio = pnl.rows
    for column in (1, 2, 3):
        parts = sum(
            (r.cells[column].amount for r in entities if isinstance(r.cells[column], Money)),
            Decimal(0),
        )
        assert portfolio.cells[column] == Money(parts)
    # revenue over Jan..Mar: 300 + 900 + 1500 + 1200 + 2000 + 1000 = 6,900
    assert portfolio.cells[1] == usd(6900)
    assert all(r.provenance for r in entities if r.cells[1] is not None)


def test_cfo_has_charts_and_capital_tiers(docs: dict[str, Document]) -> None:
    doc = docs["cfo"]
    charts = [b for s in doc.sections for b in s.blocks if isinstance(b, Chart)]
    assert charts and all(len(c.series) == 3 for c in charts)
    titles = [s.title for s in doc.sections]
    assert titles[:3] == [
        "Cash, burn and runway",
        "P&L by entity and month",
        "Break-even and revenue targets",
    ]
    assert "Capital deployment" in titles and "Financial rules" in titles
    text = get_registry().renderers["text"].render(doc)
    assert any(bar in text for bar in "▁▂▃▄▅▆▇█")


def test_accounting_report_names_the_planted_problems(docs: dict[str, Document]) -> None:
    summary = " ".join(b.text for b in docs["accounting"].summary)
    assert "$300 is for services after today" in summary
    assert '$700 of uncategorised ("Misc") spending' in summary


def test_billing_report_ages_receivables(docs: dict[str, Document]) -> None:
    aging = next(t for t in tables(docs["billing"]) if t.title == "Receivables by age")
    # INV-2 due 2026-03-07, unpaid on 2026-04-15: 39 days late
    cells = {r.cells[0]: r.cells[1] for r in aging.rows}
    assert cells == {
        "Current": usd(0),
        "1-30": usd(0),
        "31-60": usd(500),
        "61-90": usd(0),
        "90+": usd(0),
    }
    assert "$500 of work is logged but not invoiced" in docs["billing"].summary[0].text


def test_rental_and_operations_reports(docs: dict[str, Document]) -> None:
    rental = " ".join(b.text for b in docs["rental"].summary)
    # NOI over Jan..Mar: 2700 - 300 = 2400 -> ×4 = 9,600/yr; cap rate 9600 / 200,000 = 4.8%
    assert "NOI $9.6K/yr" in rental and "cap rate 4.8%" in rental
    ops = docs["operations"].summary[0].text
    assert "1 trips, 300 nm" in ops and "margin $1.3K" in ops


def test_unreconciled_books_block_the_finance_reports_only_where_they_apply() -> None:
    failed = balance("boats", "2026-03-31", 9999, kind="assertion", computed="5100")
    ctx = context(snapshot(ENTITIES, records((failed,))))
    registry = get_registry()
    cfo = registry.reports["cfo"].build(ctx)
    acc = registry.reports["accounting"].build(ctx)
    for doc in (cfo, acc):
        assert not doc.reconciled
        assert doc.warnings[0].text.startswith(
            "Does not reconcile: Boats: the balance of Assets:Bank"
        )
        assert doc.warnings[0].provenance
    # the billing audit covers tl only: its inputs reconcile
    assert registry.reports["billing"].build(ctx).reconciled


def test_finance_reports_pass_the_secret_guard_in_every_format(docs: dict[str, Document]) -> None:
    # "PASS: ..." once read as a password assignment and blocked the CFO report
    from execbrief.secrets.scanner import Scanner

    registry = get_registry()
    scanner = Scanner(b"k" * 32)
    for name, doc in docs.items():
        for fmt in ("text", "markdown", "html"):
            rendered = str(registry.renderers[fmt].render(doc))
            assert scanner.scan_text(rendered, f"{name}.{fmt}", unquoted=True) == [], (name, fmt)


def test_accounting_lists_rows_to_check_up_to_a_cap_and_counts_the_rest() -> None:
    # a big ledger's rows to check by hand are a brief, not a copy of the ledger: the first
    # LISTED_ROWS lines of each list, then one line with how many more, their total and span
    from execbrief.reports.accounting import LISTED_ROWS

    extra = LISTED_ROWS + 5
    rows = [
        tx(
            "boats",
            f"2026-03-{1 + i % 28:02d}",
            "Income:Charters",
            10 + i,
            "Charter deposit",
            line=100 + i,
        )
        for i in range(extra)
    ] + [
        tx("boats", f"2026-03-{1 + i % 28:02d}", "Expenses:Misc", 5, "Card", line=200 + i)
        for i in range(extra)
    ]
    doc = (
        get_registry()
        .reports["accounting"]
        .build(context(snapshot(ENTITIES, records(tuple(rows)))))
    )
    blocks = [b for s in doc.sections for b in s.blocks]
    review = next(
        b for b in blocks if isinstance(b, BulletList) and "check by hand" in (b.title or "")
    )
    assert len(review.items) == LISTED_ROWS + 1
    more = review.items[-1]
    rest = range(LISTED_ROWS, extra)  # the lines not listed: 10 + i each
    assert more.text.startswith(
        f"Boats: {len(rest)} more such lines (${sum(10 + i for i in rest)})"
    )
    assert [(p.source, p.line, p.end_line) for p in more.provenance] == [
        ("ledgers/boats.csv", 100 + LISTED_ROWS, 100 + extra - 1)
    ]
    misc = next(b for b in blocks if isinstance(b, Table) and "Misc" in (b.title or ""))
    assert len(misc.rows) == LISTED_ROWS  # the test's records() add one Misc line first
    after = blocks[blocks.index(misc) + 1]
    assert isinstance(after, Paragraph) and after.text.startswith(f"{extra + 1 - LISTED_ROWS} more")
    # records()' $700 line comes first; the six lines not listed are $5 each
    assert (
        after.text == f"{extra + 1 - LISTED_ROWS} more such lines, 2026-03-20 to 2026-03-25 ($30)."
    )
    assert after.provenance and after.provenance[0].source == "ledgers/boats.csv"
