"""The headline burn (issue 12 item 4): the trailing three-month average of net burn, the range of
its months, and the runway at that average, worked by hand to the cent on a small ledger, then
shown in the CFO and CEO briefs.

as_of 2026-05-10, so the trailing three complete months are 2026-02..2026-04.

- steady (charter): opening $20,000 on 2025-12-31. Net burn Jan 9,999 (outside the window),
  Feb 1,500 - 500 = 1,000.00, Mar 1,500 + 1,000.50 = 2,500.50 (a $250 non-cash depreciation
  line is not burn), Apr 1,500 - 1,800.25 = -300.25 (net income: negative burn).
  Average = (1,000.00 + 2,500.50 - 300.25) / 3 = 3,200.25 / 3 = 1,066.75/mo; months ranged
  -300.25..2,500.50. Cash = 20,000 - 9,999 - 1,000 - 2,500.50 + 300.25 = 6,800.75.
  Runway = 6,800.75 / 1,066.75 = 6.3752.. -> 6.38 months; out = as_of + floor(6.3752 x 30.4375)
  = +194 days = 2026-11-20.
- young (hauling): books start 2026-03-15 (opening $3,000), so only two complete months:
  the average is over those two, never padded with months before the books: Mar 400.00, Apr
  700.00 -> 550.00/mo ("2-month average"). Cash 3,000 - 1,100 = 1,900.00; runway 1,900 / 550 =
  3.4545.. -> 3.45 months; out +floor(105.15) = 105 days = 2026-08-23.
- gaining (rental): opening $5,000 on 2026-01-01; Feb burns 200, Mar and Apr earn 500 and 600:
  average (200 - 500 - 600) / 3 = -300.00/mo: not burning, although one month burned (the range
  runway says "partly burning").
- fresh (consultancy): books start in the as_of month: no complete month, no headline burn.
- Portfolio (Jan..Apr, the entities summed): Feb 1,000 + 200 = 1,200.00; Mar 2,500.50 + 400 - 500
  = 2,400.50; Apr -300.25 + 700 - 600 = -200.25. Average 3,400.25 / 3 = 1,133.4166.. -> 1,133.42.
  Cash 6,800.75 + 1,900 + 5,900 + 900 = 15,500.75; runway 15,500.75 x 3 / 3,400.25 = 13.676.. ->
  13.68 months; out +floor(416.27) = 416 days = 2027-06-30.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from execbrief.analysis.finance import FinanceResult, analyze
from execbrief.config import config_from_dict
from execbrief.document import Document, brief_document
from execbrief.findings import Metric
from execbrief.plugins import get_registry
from execbrief.reports.base import ReportContext
from execbrief.snapshot import Provenance
from execbrief.values import Cadence, Money, MoneyRange, Period
from kits.ledger import LINES, balance, config, snapshot, tx

ENTITIES = [
    ("steady", "charter"),
    ("young", "hauling"),
    ("gaining", "rental"),
    ("fresh", "consultancy"),
]
AS_OF = "2026-05-10"


def usd(value: str | int) -> Money:
    return Money(Decimal(str(value)))


def per_month(value: str) -> MoneyRange:
    return MoneyRange.point(usd(value), Cadence.MONTH)


def records() -> list:
    LINES.reset()  # the line numbers below are asserted
    return [
        balance("steady", "2025-12-31", 20000),  # line 2
        tx("steady", "2026-01-05", "Expenses:Rent", 9999),  # 3
        tx("steady", "2026-02-05", "Expenses:Rent", 1500),  # 4
        tx("steady", "2026-02-15", "Income:Charters", 500),  # 5
        tx("steady", "2026-03-05", "Expenses:Rent", 1500),  # 6
        tx("steady", "2026-03-12", "COGS:Fuel", "1000.50"),  # 7
        tx("steady", "2026-03-31", "Expenses:Depreciation", 250, cash=False),  # 8
        tx("steady", "2026-04-05", "Expenses:Rent", 1500),  # 9
        tx("steady", "2026-04-20", "Income:Charters", "1800.25"),  # 10
        balance("young", "2026-03-15", 3000),
        tx("young", "2026-03-20", "Expenses:Truck Lease", 400),
        tx("young", "2026-04-20", "Expenses:Truck Lease", 700),
        balance("gaining", "2026-01-01", 5000),
        tx("gaining", "2026-02-10", "Expenses:Cleaning", 200),
        tx("gaining", "2026-03-10", "Income:Rent", 500),
        tx("gaining", "2026-04-10", "Income:Rent", 600),
        balance("fresh", "2026-05-02", 1000),
        tx("fresh", "2026-05-05", "Expenses:Software", 100),
    ]


@pytest.fixture(scope="module")
def result() -> FinanceResult:
    return analyze(snapshot(ENTITIES, records(), AS_OF), config(ENTITIES))


def metric(result: FinanceResult, mid: str, entity: str | None) -> Metric | None:
    return next((m for m in result.metrics if m.id == mid and m.entity == entity), None)


def test_three_month_average_with_a_month_of_net_income(result: FinanceResult) -> None:
    steady = result.for_entity("steady")
    assert steady is not None and steady.headline is not None
    head = steady.headline
    assert head.months == ("2026-02", "2026-03", "2026-04")
    assert head.average == usd("1066.75")
    assert head.spread == MoneyRange(usd("-300.25"), usd("2500.50"), Cadence.MONTH)
    run = head.runway
    assert run.status == "burning" and run.cash == usd("6800.75")
    assert run.months_low == Decimal("6.38") and run.out_low == date(2026, 11, 20)
    assert run.text == "6.38 months at the average burn (out 2026-11-20)"
    # the range runway the full report keeps is still there, and much wider
    assert steady.runway is not None and steady.runway.status == "partly burning"
    # provenance: the cash lines of Feb..Apr (lines 4..10 but the non-cash line 8: six rows)
    assert head.provenance == (Provenance("ledgers/steady.csv", 4, 10, detail="6 rows"),)


def test_metrics_carry_the_average_the_runway_and_their_sources(result: FinanceResult) -> None:
    burn = metric(result, "finance.burn.net.average", "steady")
    assert burn is not None and burn.value == per_month("1066.75")
    assert burn.label == "Net burn, 3-month average"
    assert "÷ 3 over 2026-02..2026-04" in (burn.formula or "")
    assert burn.provenance == (Provenance("ledgers/steady.csv", 4, 10, detail="6 rows"),)
    months = metric(result, "finance.runway.average", "steady")
    assert months is not None and months.value == Decimal("6.38") and months.unit == "months"
    # the runway cites the balance it starts from as well as the burn rows
    assert Provenance("ledgers/steady.csv", 2) in months.provenance
    out = metric(result, "finance.runway.average.out_date", "steady")
    assert out is not None and out.value == date(2026, 11, 20)


def test_fewer_than_three_months_of_books_average_the_months_there_are(
    result: FinanceResult,
) -> None:
    young = result.for_entity("young")
    assert young is not None and young.headline is not None
    head = young.headline
    assert head.months == ("2026-03", "2026-04") and head.average == usd("550.00")
    assert head.basis == "2-month average, 2026-03..2026-04"
    assert head.runway.cash == usd("1900.00") and head.runway.months_low == Decimal("3.45")
    assert head.runway.out_low == date(2026, 8, 23)
    burn = metric(result, "finance.burn.net.average", "young")
    assert burn is not None and burn.label == "Net burn, 2-month average"


def test_net_income_on_average_is_not_burning(result: FinanceResult) -> None:
    gaining = result.for_entity("gaining")
    assert gaining is not None and gaining.headline is not None
    assert gaining.headline.average == usd("-300.00")
    assert gaining.headline.runway.status == "not burning"
    assert gaining.runway is not None and gaining.runway.status == "partly burning"
    runway = metric(result, "finance.runway.average", "gaining")
    assert runway is not None and runway.value == "not burning"
    assert metric(result, "finance.runway.average.out_date", "gaining") is None


def test_no_complete_month_gives_no_headline(result: FinanceResult) -> None:
    fresh = result.for_entity("fresh")
    assert fresh is not None and fresh.has_ledger and fresh.headline is None
    assert metric(result, "finance.burn.net.average", "fresh") is None


def test_portfolio_average_and_runway(result: FinanceResult) -> None:
    port = result.portfolio
    assert port is not None and port.headline is not None
    head = port.headline
    assert head.months == ("2026-02", "2026-03", "2026-04")
    assert head.average.quantize() == usd("1133.42")
    assert head.spread == MoneyRange(usd("-200.25"), usd("2400.50"), Cadence.MONTH)
    assert head.runway.cash == usd("15500.75")
    assert head.runway.months_low == Decimal("13.68")
    assert head.runway.out_low == date(2027, 6, 30)
    burn = metric(result, "finance.burn.net.average", None)
    assert burn is not None and burn.value == per_month("1133.42")


def _context() -> ReportContext:
    registry = get_registry()
    raw = {
        "portfolio": {"name": "Test Holdings"},
        "entities": [{"id": e, "name": e.title(), "kind": k} for e, k in ENTITIES],
    }
    cfg = config_from_dict(raw, Path("/tmp/portfolio.toml"), registry.option_models(), environ={})
    snap = snapshot(ENTITIES, records(), AS_OF)
    return ReportContext(snap, cfg, Period.containing(snap.as_of), registry.analyses)


@pytest.fixture(scope="module")
def briefs() -> dict[str, str]:
    ctx, registry = _context(), get_registry()
    out = {}
    for name in ("cfo", "ceo"):
        doc: Document = registry.reports[name].build(ctx)
        out[name] = registry.renderers["text"].render(brief_document(doc, "Attached."))
    return out


def test_cfo_brief_says_one_burn_and_one_runway(briefs: dict[str, str]) -> None:
    text = " ".join(briefs["cfo"].split())
    # $1,133.42 -> $1.1K; the range -$200.25..$2,400.50 -> -$200 to $2.4K (each end by the
    # money rule); 13.68 -> 14 months
    assert (
        "Portfolio cash $15.5K; burning $1.1K/mo (3-month average, 2026-02..2026-04; months "
        "ranged -$200 to $2.4K); runway 14 months at that rate (out 2027-06-30)." in text
    )
    # the short runway (under six months at the average): young, with its own two months
    assert (
        "Young cash $1.9K; burning $550/mo (2-month average, 2026-03..2026-04; months ranged "
        "$400–700); runway 3.5 months at that rate (out 2026-08-23)." in text
    )
    assert "Net burn, 3-month average $1.1K/mo" in text
    assert "Runway at the average burn 14 months" in text


def test_ceo_brief_leads_with_the_ledgers_headline(briefs: dict[str, str]) -> None:
    text = " ".join(briefs["ceo"].split())
    assert "SUMMARY • Portfolio cash $15.5K; burning $1.1K/mo" in text
    assert "Portfolio net burn (ledgers) $1.1K/mo" in text
    assert "Portfolio runway at that burn 14 months" in text


def test_a_month_holding_only_the_opening_balance_is_not_a_month_of_burn() -> None:
    # audit14b finding 4 (Tidewater Kayaks): the books open on 2026-09-30 with only the opening
    # balance in September; the lines start in October. as_of 2026-12-01: the trailing 3 complete
    # months are 2026-09..2026-11, but September burned nothing because nothing was recorded in
    # it, so the average is over October and November (docs/metrics.md, finance.burn.net.average:
    # "averaged over the complete months it has"), as the portfolio's is:
    #   Oct: in 1,000.00, out 400.00 -> net burn -600.00;  Nov: in 200.00, out 500.00 -> 300.00
    #   average (-600.00 + 300.00) / 2 = -150.00/mo; gross burn 400.00..500.00 (no $0 month).
    ents = [("tide", "charter")]
    rows = [
        balance("tide", "2026-09-30", 8000),
        tx("tide", "2026-10-03", "Income:Uncategorized", 1000),
        tx("tide", "2026-10-15", "Expenses:Uncategorized", 400),
        tx("tide", "2026-11-02", "Income:Uncategorized", 200),
        tx("tide", "2026-11-10", "Expenses:Uncategorized", 500),
    ]
    found = analyze(snapshot(ents, rows, "2026-12-01"), config(ents))
    tide, whole = found.for_entity("tide"), found.portfolio
    assert tide is not None and tide.headline is not None
    assert tide.headline.months == ("2026-10", "2026-11")
    assert tide.headline.average == usd("-150.00")
    assert tide.headline.basis == "2-month average, 2026-10..2026-11"
    assert tide.gross_burn_3m == MoneyRange(usd("400.00"), usd("500.00"), Cadence.MONTH)
    assert tide.net_burn_3m == MoneyRange(usd("-600.00"), usd("300.00"), Cadence.MONTH)
    assert whole is not None and whole.headline is not None
    assert whole.headline.average == tide.headline.average


def test_a_bank_with_no_balance_beside_a_processor_balance_has_unknown_cash() -> None:
    # audit14b finding 3: Tidewater's Wells Fargo lines (cash side implied) with no opening
    # balance, beside PayPal's held balance: adding the bank's lines to PayPal's balance gave a
    # made-up -$118.68. The cash is unknown, and so is the runway.
    from dataclasses import replace as changed

    ents = [("tide", "charter")]
    paypal = changed(balance("tide", "2026-11-01", "55.00", kind="assertion"), account="PayPal")
    rows = [
        paypal,
        changed(tx("tide", "2026-11-02", "Income:Sales (PayPal)", 50), cash_account="PayPal"),
        tx("tide", "2026-11-05", "Expenses:Uncategorized", 400),
    ]
    found = analyze(snapshot(ents, rows, "2026-12-01"), config(ents))
    tide = found.for_entity("tide")
    assert tide is not None and tide.runway is not None
    assert tide.runway.cash is None
    assert tide.runway.text == "unknown, no cash balance"
