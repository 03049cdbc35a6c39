"""The KPI framework: tracked from the data when it can be computed, missing with what it needs."""

from __future__ import annotations

from decimal import Decimal

from execbrief.analysis import finance, operations
from execbrief.analysis.kpis import kpi_framework
from execbrief.values import Money, Percent
from kits.ledger import balance, booking, config, snapshot, trip, tx

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
