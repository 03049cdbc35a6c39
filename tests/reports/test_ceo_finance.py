"""The CEO report's P&L roll-up and data-driven KPI framework (``reports/ceo_finance.py``)."""

from __future__ import annotations

from decimal import Decimal

from test_finance_reports import ENTITIES, context, records

from execbrief.document import Document, Table
from execbrief.plugins import get_registry
from execbrief.reports.ceo_finance import extend_ceo
from execbrief.values import Money
from kits.ledger import balance, snapshot


def build(extra: tuple = ()) -> Document:
    ctx = context(snapshot(ENTITIES, records(extra)))
    return extend_ceo(ctx, get_registry().reports["ceo"].build(ctx))


def test_pnl_rollup_and_kpis_join_the_ceo_report() -> None:
    doc = build()
    ids = [s.id for s in doc.sections]
    assert ids.index("pnl") == ids.index("figures") + 1
    assert ids.index("kpi-framework") == ids.index("kpis") + 1
    pnl = next(b for s in doc.sections if s.id == "pnl" for b in s.blocks if isinstance(b, Table))
    *entities, portfolio = pnl.rows
    for column in (1, 2, 3):
        parts = sum(
            (r.cells[column].amount for r in entities if isinstance(r.cells[column], Money)),
            Decimal(0),
        )
        assert portfolio.cells[column] == Money(parts)
    kpis = next(
        b for s in doc.sections if s.id == "kpi-framework" for b in s.blocks if isinstance(b, Table)
    )
    statuses = {(r.cells[0], r.cells[1]): r.cells[2] for r in kpis.rows}
    assert statuses[("Boats", "Revenue per month")] == "tracked"
    assert statuses[("Loft", "Occupancy")] == "missing"  # the loft has no bookings
    assert any(b.text.startswith("P&L, ") for b in doc.summary)
    assert doc.reconciled and Document.from_dict(doc.to_dict()) == doc


def test_unreconciled_books_are_named_at_the_top_but_do_not_hold_the_ceo_report() -> None:
    doc = build((balance("boats", "2026-03-31", 9999, kind="assertion", computed="5100"),))
    assert doc.reconciled
    assert doc.warnings[0].text.startswith(
        "The P&L roll-up rests on books that do not reconcile. Does not reconcile: Boats"
    )
