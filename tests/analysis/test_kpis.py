"""The KPI framework: tracked from the data when it can be computed, missing with what it needs."""

from __future__ import annotations

from decimal import Decimal

from execbrief.analysis import finance, operations
from execbrief.analysis.kpis import kpi_framework
from execbrief.values import Money, Percent
from kits.ledger import balance, booking, config, snapshot, time_entry, trip, tx

ENTITIES = [("boats", "charter"), ("bp", "delivery"), ("cb", "platform")]


def test_tracked_and_missing() -> None:
    recs = [
        balance("boats", "2026-01-01", 1000),
        tx("boats", "2026-03-01", "Income:Charters", 1000),
        tx("boats", "2026-03-02", "Expenses:Slip Fees", 600),
        booking("boats", "B1", "2026-02-01", "2026-03-05", "completed", "400"),
        booking("boats", "B2", "2026-02-02", "2026-03-06", "completed", "600"),
        trip("bp", "T1", "2026-03-01", "2026-03-02", "100", "900", "300"),
        tx("bp", "2026-03-02", "Income:Deliveries", 900),
        tx("cb", "2026-03-02", "Income:Fees", 50),
    ]
    snap = snapshot(ENTITIES, recs)
    cfg = config(ENTITIES)
    rows = kpi_framework(finance.analyze(snap, cfg), operations.analyze(snap, cfg), dict(ENTITIES))
    status = {(k.entity, k.kpi): k for k in rows}
    # boats: data from January (the balance) to March, 3 months: 2 charters -> 0.67 a month,
    # average 500, net margin 400 / 1000 = 40%
    assert status[("boats", "Charters per month")].value == Decimal("0.67")
    assert status[("boats", "Average charter value")].value == Money(Decimal("500.00"))
    assert status[("boats", "Net margin")].value == Percent(Decimal("40.00"))
    assert status[("boats", "Cash runway")].tracked
    assert status[("bp", "Revenue per nautical mile")].value == Money(Decimal("9.00"))
    # bp has no cash balance; cb has no placement log
    assert not status[("bp", "Cash runway")].tracked
    assert status[("bp", "Cash runway")].basis.startswith(
        "missing: needs a ledger with an opening balance"
    )
    assert not status[("cb", "Placements per month")].tracked
    assert not status[("cb", "Break-even")].tracked
    assert all(k.provenance for k in rows if k.tracked)


def test_consultancy_without_an_invoices_source() -> None:
    """Timesheets with an invoice column but no invoice register (as of 2026-04-15, report month
    2026-03): unbilled work is known (4 h × 100 + 2 h × 150 = 700; the 10 h entry says INV-1),
    billable hours in March are 4 + 2 = 6 (the January entry and the non-billable hour are not),
    and overdue receivables and realisation are unknown, never $0 or 0%."""
    recs = [
        time_entry("tl", "2026-01-05", "A", "10", "100", "INV-1"),
        time_entry("tl", "2026-03-10", "A", "4", "100"),
        time_entry("tl", "2026-03-11", "B", "2", "150"),
        time_entry("tl", "2026-03-12", "A", "1", "100", billable=False),
    ]
    ents = [("tl", "consultancy")]
    snap, cfg = snapshot(ents, recs), config(ents)
    ops = operations.analyze(snap, cfg)
    (gap,) = ops.billing
    assert gap.realisation is None and gap.receivables_unknown == "unknown (no invoices source)"
    status = {k.kpi: k for k in kpi_framework(finance.analyze(snap, cfg), ops, dict(ents))}
    assert status["Unbilled work"].value == Money(Decimal("700.00"))
    assert status["Billable hours per month"].value == Decimal(6)
    assert status["Billable hours per month"].basis.startswith("billable time entries in 2026-03")
    overdue = status["Overdue receivables"]
    assert (overdue.status, overdue.value) == ("unknown", "unknown (no invoices source)")
    assert status["Realisation"].status == "missing"
    receivable = next(m for m in ops.metrics if m.id == "billing.receivable")
    assert (
        receivable.value
        == 'unknown (no invoices source); add invoices = "invoices.csv" to the entity'
    )
    assert not [m for m in ops.metrics if m.id == "billing.aging"]
