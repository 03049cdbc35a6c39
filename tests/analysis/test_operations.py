"""Operations analysis on hand-made records, expected values worked out by hand in the comments."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from execbrief.analysis.operations import (
    OperationsResult,
    aging_bucket,
    analyze,
    billing_gap,
    operations_options,
)
from execbrief.values import CurrencyMismatch, Money, Percent
from kits.ledger import booking, config, fact, invoice, snapshot, time_entry, trip, tx

ENTITIES = [("loft", "rental"), ("bp", "delivery"), ("tl", "consultancy")]


def usd(value: str | int) -> Money:
    return Money(Decimal(str(value)))


def pct(value: str) -> Percent:
    return Percent(Decimal(value))


def records() -> list:
    out = []
    for month, rent in (("01", 2000), ("02", 1500), ("03", 2500)):
        out += [
            tx("loft", f"2026-{month}-02", "Income:Rent", rent),
            tx("loft", f"2026-{month}-03", "Expenses:Cleaning", 300),
            tx("loft", f"2026-{month}-04", "Expenses:Mortgage", 1000, "Mortgage payment"),
            tx("loft", f"2026-{month}-05", "Expenses:Utilities", 100),
        ]
    out += [
        booking("loft", "S1", "2025-12-01", "2026-01-10", "completed", "2000", units=10),
        booking("loft", "S2", "2025-12-05", "2026-02-05", "completed", "1600", units=8),
        booking("loft", "S3", "2026-01-05", "2026-03-01", "completed", "2500", units=12),
        booking("loft", "S4", "2026-01-06", "2026-03-20", "cancelled", "900", units=4),
        fact("loft", "property-value", "Property value", usd(240000), "$240,000"),
        trip("bp", "T1", "2026-01-05", "2026-01-08", "300", "2000", "800"),
        trip("bp", "T2", "2026-03-30", "2026-04-02", "200", "1500", "700"),
        trip("bp", "T0", "2025-12-30", "2026-01-02", "100", "900", "300"),
        time_entry("tl", "2026-01-05", "A", "10", "100", "INV-1"),
        time_entry("tl", "2026-01-06", "B", "5", "150", "INV-2"),
        time_entry("tl", "2026-03-10", "A", "4", "100"),
        time_entry("tl", "2026-03-11", "B", "2", "150"),
        time_entry("tl", "2026-03-12", "A", "3", "100", billable=False),
        time_entry("tl", "2026-04-20", "A", "8", "100"),  # after as_of
        invoice("tl", "INV-1", "A", "2026-01-31", "2026-03-02", "1000", "2026-02-20"),
        invoice("tl", "INV-2", "B", "2026-01-31", "2026-04-15", "750"),  # due today: current
        invoice("tl", "INV-3", "A", "2026-02-01", "2026-03-16", "500"),  # 30 days late
        invoice("tl", "INV-4", "B", "2026-01-02", "2026-02-14", "200"),  # 60 days late
        invoice("tl", "INV-5", "A", "2025-12-01", "2026-01-15", "300"),  # 90 days late
        invoice("tl", "INV-6", "C", "2025-11-01", "2026-01-14", "100"),  # 91 days late
        invoice(
            "tl", "INV-7", "A", "2026-03-01", "2026-03-31", "400", "2026-04-20"
        ),  # paid after as_of
    ]
    return out


@pytest.fixture(scope="module")
def result() -> OperationsResult:
    cfg = config(
        ENTITIES,
        settings={"loft": {"operations": {"cash_invested": 60000}}},
        analysis={"operations": {"window_months": 3}},
    )
    return analyze(snapshot(ENTITIES, records()), cfg)


def test_rental_unit(result: OperationsResult) -> None:
    (u,) = result.rentals
    assert u.window == ("2026-01", "2026-02", "2026-03") and u.days == 90
    # rate from bookings: (2000 + 1600 + 2500) / 30 nights = 203.33; GPR = 6100 / 30 × 90 = 18,300
    assert u.rate.source == "bookings" and u.gross_potential_rent == usd("18300.00")
    assert u.occupied_nights == 30 and u.occupancy == pct("33.33") and u.vacancy == pct("66.67")
    # income 6000; opex 900 cleaning + 300 utilities = 1200 (the mortgage is debt service)
    assert (u.income, u.operating_expenses, u.noi) == (usd(6000), usd(1200), usd(4800))
    # annualised: 4800 × 12 / 3 = 19,200; debt 3000 × 4 = 12,000; cash flow 7,200
    assert (u.noi_annual, u.debt_service_annual, u.cash_flow_annual) == (
        usd(19200),
        usd(12000),
        usd(7200),
    )
    # cap rate 19,200 / 240,000 (from the notes) = 8%; cash-on-cash 7,200 / 60,000 (config) = 12%
    assert u.property_value.source == "notes" and u.cap_rate == pct("8.00")
    assert u.cash_invested.source == "config" and u.cash_on_cash == pct("12.00")
    # collected 6000 of 6100 billed = 98.36%
    assert u.billed == usd(6100) and u.collection_rate == pct("98.36")


def test_rental_configured_rate_and_economic_vacancy() -> None:
    ents = [("loft", "rental")]
    cfg = config(
        ents,
        settings={"loft": {"operations": {"monthly_rent": 2500}}},
        analysis={"operations": {"window_months": 3}},
    )
    recs = [r for r in records() if r.entity == "loft" and type(r).__name__ == "Transaction"]
    (u,) = analyze(snapshot(ents, recs), cfg).rentals
    # GPR 2500 × 3 = 7500; economic vacancy 1 − 6000/7500 = 20%
    assert u.gross_potential_rent == usd(7500) and u.vacancy == pct("20.00")
    assert u.occupancy is None and u.collection_rate is None and u.cap_rate is None


def test_delivery(result: OperationsResult) -> None:
    (d,) = result.deliveries
    # T1 and T2 start in Jan..Mar; T0 started in December
    assert (d.trips, d.nautical_miles, d.revenue, d.direct_costs, d.margin) == (
        2,
        500,
        usd(3500),
        usd(1500),
        usd(2000),
    )
    assert d.margin_pct == pct("57.14")
    assert (d.revenue_per_trip, d.margin_per_trip) == (usd(1750), usd(1000))
    assert (d.revenue_per_mile, d.margin_per_mile) == (usd(7), usd(4))
    # T1 Jan 5..8 = 4 days; T2 Mar 30..31 inside the window = 2 days; 6 / 90 = 6.67%
    assert d.trip_days == 6 and d.utilisation == pct("6.67")
    assert "operations.delivery-utilisation:bp" in {f.id for f in result.findings}


def test_billing_gap(result: OperationsResult) -> None:
    (b,) = result.billing
    assert (b.billable_hours, b.billable_value) == (Decimal(21), usd(2450))
    assert (b.invoiced_hours, b.invoiced_hours_value) == (Decimal(15), usd(1750))
    # unbilled: 4 h × 100 + 2 h × 150 = 700 (the April entry is after as_of)
    assert (b.unbilled_hours, b.unbilled_value) == (Decimal(6), usd(700))
    assert b.unbilled_by_client == (("A", usd(400)), ("B", usd(300)))
    assert b.non_billable_hours == 3
    # invoiced 3,250; collected by as_of 1,000 (INV-7 was paid after as_of)
    assert (b.invoiced, b.collected) == (usd(3250), usd(1000))
    assert b.collection_rate == pct("30.77") and b.realisation == pct("132.65")


def test_aging_buckets_on_boundary_days(result: OperationsResult) -> None:
    (b,) = result.billing
    aging = {a.bucket: (a.amount, a.invoices) for a in b.aging}
    assert aging == {
        "Current": (usd(750), ("INV-2",)),
        "1-30": (usd(900), ("INV-3", "INV-7")),
        "31-60": (usd(200), ("INV-4",)),
        "61-90": (usd(300), ("INV-5",)),
        "90+": (usd(100), ("INV-6",)),
    }
    assert (b.receivable, b.overdue) == (usd(2250), usd(1500))
    assert [aging_bucket(n) for n in (-5, 0, 1, 30, 31, 60, 61, 90, 91)] == [
        "Current",
        "Current",
        "1-30",
        "1-30",
        "31-60",
        "31-60",
        "61-90",
        "61-90",
        "90+",
    ]


def test_client_concentration(result: OperationsResult) -> None:
    (b,) = result.billing
    # issued Jan..Mar: A 1000 + 500 + 400 = 1900, B 750 + 200 = 950 -> A has 66.67%
    assert [(c.client, c.amount, c.share) for c in b.clients] == [
        ("A", usd(1900), pct("66.67")),
        ("B", usd(950), pct("33.33")),
    ]
    ids = {f.id for f in result.findings}
    assert {"operations.unbilled:tl", "operations.overdue:tl", "operations.concentration:tl"} <= ids
    unbilled = next(f for f in result.findings if f.id == "operations.unbilled:tl")
    assert len(unbilled.provenance) == 2 and unbilled.cost_tier is not None


def test_no_operational_data() -> None:
    res = analyze(snapshot([("x", "rental")], []), config([("x", "rental")]))
    assert (res.rentals, res.deliveries, res.billing) == ((), (), ())


def test_a_bank_memo_mtg_pmt_is_debt_service_not_opex() -> None:
    # audit14b finding 16: Pine Cottage's QFX line "HOMESIDE LENDING MTG PMT" $1,100 sat in
    # Expenses:Uncategorized and counted in NOI (debt service $0)
    ents = [("loft", "rental")]
    cfg = config(ents, analysis={"operations": {"window_months": 3}})
    recs = [
        tx("loft", f"2026-{m}-02", "Income:Uncategorized", 2000) for m in ("01", "02", "03")
    ] + [
        tx("loft", f"2026-{m}-04", "Expenses:Uncategorized", 1100, "HOMESIDE LENDING MTG PMT")
        for m in ("01", "02", "03")
    ]
    (u,) = analyze(snapshot(ents, recs), cfg).rentals
    assert u.operating_expenses == usd(0) and u.noi == usd(6000)
    assert u.debt_service_annual == usd(13200)  # 3,300 x 12 / 3


def test_billable_value_in_another_currency_is_refused_as_money_arithmetic_refuses_it() -> None:
    """The billable value sums amounts, not Money, so it checks the rates' currency itself."""
    ents = [("tl", "consultancy")]
    euro = replace(time_entry("tl", "2026-03-10", "A", "4", "100"), rate=Money(100, "EUR"))
    snap = snapshot(ents, [time_entry("tl", "2026-03-11", "A", "2", "150"), euro])
    with pytest.raises(CurrencyMismatch):
        billing_gap(snap, snap.entities[0], operations_options(config(ents)))
