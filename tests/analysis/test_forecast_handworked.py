"""A two-entity portfolio written from docs/formats.md alone, its 13-week cash forecast worked by
hand from docs/metrics.md ("13-week cash forecast") and compared line by line, week by week,
with what the real sources, the forecast analysis and the CFO report give.

As of 2026-06-30. Week n runs from as_of + 7(n-1) + 1 to as_of + 7n:
w1 07-01..07-07, w2 07-08..07-14, w3 07-15..07-21, w4 07-22..07-28, w5 07-29..08-04,
w6 08-05..08-11, w7 08-12..08-18, w8 08-19..08-25, w9 08-26..09-01, w10 09-02..09-08,
w11 09-09..09-15, w12 09-16..09-22, w13 09-23..09-29.

Skiff Tours (charter), cash on as_of: opening 40,000 - out 20,130 + in 3,100 = 22,970
  (out: bookkeeping 3 x 900, loan 6 x 650, insurance 4 x 400, payroll 11,100, fuel 830;
   in: the deposits and balances of SK-1..SK-6, 3,100).
  Recurring: insurance 400 monthly from 06-05 -> 07-05, 08-05, 09-05; loan 650 monthly from
  06-15 -> 07-15, 08-15, 09-15; bookkeeping 900 quarterly (gaps 90, 92: median 91 days = 3
  months) from 06-10 -> 09-10; payroll every 14 days from 06-26 at the latest run, 2,000 ->
  07-10, 07-24, 08-07, 08-21, 09-04, 09-18. Fuel (300, 120, 410) is not steady: left out.
  Bookings: SK-3 balance 1,200 - 300 = 900 on 07-18; SK-4 1,600 - 400 = 1,200 on 08-30; SK-5 was
  served 06-20 and is still booked: 450 unpaid, due on 07-01, at risk; SK-6 (10-15) is after
  week 13; SK-7 is only quoted.
  Lead time: 31, 35, 70, 89, 120, 136 days -> median 79.5 -> 80 days = 11 weeks (3 days left).
  New bookings made 04-01..06-30: SK-3..SK-6, deposits 300+400+150+450 = 1,300 / 13 = 100 a
  week (each week's last day); balances (1,200+1,600+600+2,008 - 1,300) / 13 = 316 a week,
  arriving 11 weeks later: weeks 1 and 2's in weeks 12 and 13.
  Known bill: the repair dated 07-20 (1,200).
  Reserve: set to 15,000 in [entities.settings.forecast].
  w1  +450 -400 +100           = 23,120      w8  -2000 +100          = 13,820 (below 15,000)
  w2  -2000 +100               = 21,220      w9  +1200 +100          = 15,120
  w3  -650 +900 -1200 +100     = 20,370      w10 -2000 -400 +100     = 12,820
  w4  -2000 +100               = 18,470      w11 -900 -650 +100      = 11,370
  w5  +100                     = 18,570      w12 -2000 +100 +316     =  9,786
  w6  -400 -2000 +100          = 16,270      w13 +100 +316           = 10,202
  w7  -650 +100                = 15,720

Fern Consult (consultancy), cash: 9,000 - 3 x 1,500 rent + 2,000 + 1,000 + 2,000 - 3 x 49 = 9,353.
  Lags: Alder Co paid 5 and 7 days late -> 6; Birch Ltd 2 days early -> -2; anyone else: the
  median of 5, 7, -2 = 5. F-4 (Alder, due 07-01) -> 07-07; F-5 (Birch, due 07-15) -> 07-13; F-6
  (Cedar, due 05-31, overdue) -> 06-05, already past: 07-01, at risk.
  Recurring: rent 1,500 on the 1st; Figma 49 on the 10th. Known bill: estimated tax 2,400 on 08-14.
  Reserve: 3 months x the worst month's net burn (June: 1,549) = 4,647.
  w1  -1500 +800 +3000 = 11,653   w2 -49 +1500 = 13,104   w3, w4 = 13,104   w5 -1500 = 11,604
  w6  -49 = 11,555   w7 -2400 = 9,155   w8 = 9,155   w9 -1500 = 7,655   w10 = 7,655
  w11 -49 = 7,606   w12, w13 = 7,606. Never below its reserve.
"""

from __future__ import annotations

import json
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

AS_OF = date(2026, 6, 30)

FILES = {
    "portfolio.toml": """\
[portfolio]
name = "Tern Works"
currency = "USD"
as_of = 2026-06-30

[reports.cfo]
to = ["cfo@tern.example"]

[[entities]]
id = "skiff-tours"
name = "Skiff Tours"
kind = "charter"
ledger = "ledgers/skiff.csv"
bookings = "bookings/skiff.csv"

[entities.settings.forecast]
reserve = 15000

[[entities]]
id = "fern-consult"
name = "Fern Consult"
kind = "consultancy"
ledger = "ledgers/fern.csv"
invoices = "invoices/fern.csv"
""",
    "ledgers/skiff.csv": """\
date,account,amount,memo,counterparty,reference,type
2025-12-01,Assets:Checking,40000.00,Opening balance,,,opening
2025-12-10,Expenses:Accounting,900.00,Quarterly bookkeeping,Ledgerly,,
2026-01-10,Income:Charters,200.00,Deposit,Stripe,SK-1,
2026-01-15,Liabilities:Boat Loan,-650.00,Loan payment,Harbor Bank,,
2026-02-01,Income:Charters,250.00,Deposit,Stripe,SK-2,
2026-02-14,Income:Charters,600.00,Balance,Stripe,SK-1,
2026-02-15,Liabilities:Boat Loan,-650.00,Loan payment,Harbor Bank,,
2026-03-05,Expenses:Insurance,400.00,Hull premium,Insco,,
2026-03-10,Expenses:Accounting,900.00,Quarterly bookkeeping,Ledgerly,,
2026-03-12,Expenses:Fuel,300.00,Fuel,Shell,,
2026-03-15,Liabilities:Boat Loan,-650.00,Loan payment,Harbor Bank,,
2026-04-05,Expenses:Insurance,400.00,Hull premium,Insco,,
2026-04-12,Income:Charters,750.00,Balance,Stripe,SK-2,
2026-04-15,Liabilities:Boat Loan,-650.00,Loan payment,Harbor Bank,,
2026-04-17,Expenses:Payroll,1800.00,Crew pay,Gusto,,
2026-04-20,Expenses:Fuel,120.00,Fuel,Shell,,
2026-04-20,Income:Charters,300.00,Deposit,Stripe,SK-3,
2026-05-01,Expenses:Payroll,1800.00,Crew pay,Gusto,,
2026-05-02,Income:Charters,400.00,Deposit,Stripe,SK-4,
2026-05-05,Expenses:Insurance,400.00,Hull premium,Insco,,
2026-05-15,Expenses:Payroll,1900.00,Crew pay,Gusto,,
2026-05-15,Liabilities:Boat Loan,-650.00,Loan payment,Harbor Bank,,
2026-05-20,Income:Charters,150.00,Deposit,Stripe,SK-5,
2026-05-29,Expenses:Payroll,1800.00,Crew pay,Gusto,,
2026-06-01,Income:Charters,450.00,Deposit,Stripe,SK-6,
2026-06-02,Expenses:Fuel,410.00,Fuel,Shell,,
2026-06-05,Expenses:Insurance,400.00,Hull premium,Insco,,
2026-06-10,Expenses:Accounting,900.00,Quarterly bookkeeping,Ledgerly,,
2026-06-12,Expenses:Payroll,1800.00,Crew pay,Gusto,,
2026-06-15,Liabilities:Boat Loan,-650.00,Loan payment,Harbor Bank,,
2026-06-26,Expenses:Payroll,2000.00,Crew pay,Gusto,,
2026-07-20,Expenses:Repairs,1200.00,Hull repair (booked),Boatyard,,
""",
    "bookings/skiff.csv": """\
id,created,service_date,status,amount,deposit,channel,customer
SK-1,2026-01-10,2026-02-14,completed,800.00,200.00,website,Ann Lee
SK-2,2026-02-01,2026-04-12,completed,1000.00,250.00,phone,Bo Chan
SK-3,2026-04-20,2026-07-18,booked,1200.00,300.00,website,Cy Diaz
SK-4,2026-05-02,2026-08-30,booked,1600.00,400.00,website,Di Egan
SK-5,2026-05-20,2026-06-20,booked,600.00,150.00,phone,Ed Fox
SK-6,2026-06-01,2026-10-15,booked,2008.00,450.00,website,Fay Gill
SK-7,2026-06-10,2026-07-25,quoted,700.00,,phone,Gus Hale
""",
    "ledgers/fern.csv": """\
date,account,amount,memo,counterparty,reference,type
2026-04-01,Assets:Checking,9000.00,Opening balance,,,opening
2026-04-01,Expenses:Rent,1500.00,Office rent,Dockworks,,
2026-04-05,Income:Consulting,2000.00,Invoice F-1,Alder Co,F-1,
2026-04-10,Expenses:Software,49.00,Design tool,Figma,,
2026-04-29,Income:Consulting,1000.00,Invoice F-3,Birch Ltd,F-3,
2026-05-01,Expenses:Rent,1500.00,Office rent,Dockworks,,
2026-05-08,Income:Consulting,2000.00,Invoice F-2,Alder Co,F-2,
2026-05-10,Expenses:Software,49.00,Design tool,Figma,,
2026-06-01,Expenses:Rent,1500.00,Office rent,Dockworks,,
2026-06-10,Expenses:Software,49.00,Design tool,Figma,,
2026-08-14,Expenses:Taxes,2400.00,Estimated tax Q3,State Revenue,,
""",
    "invoices/fern.csv": """\
number,client,issued,due,amount,paid_on
F-1,Alder Co,2026-03-01,2026-03-31,2000.00,2026-04-05
F-2,Alder Co,2026-04-01,2026-05-01,2000.00,2026-05-08
F-3,Birch Ltd,2026-04-01,2026-05-01,1000.00,2026-04-29
F-4,Alder Co,2026-06-01,2026-07-01,3000.00,
F-5,Birch Ltd,2026-06-15,2026-07-15,1500.00,
F-6,Cedar Inc,2026-05-01,2026-05-31,800.00,
""",
}

# (week, date, kind, amount, cited file:line) for every line of the 13 weeks, worked by hand.
SKIFF_LINES = [
    (1, "2026-07-01", "booking balance", "450", "bookings/skiff.csv:6"),
    (1, "2026-07-05", "recurring charge", "-400", "ledgers/skiff.csv:9"),
    (1, "2026-07-07", "new bookings", "100", "bookings/skiff.csv:4"),
    (2, "2026-07-10", "payroll", "-2000", "ledgers/skiff.csv:16"),
    (2, "2026-07-14", "new bookings", "100", "bookings/skiff.csv:4"),
    (3, "2026-07-15", "loan payment", "-650", "ledgers/skiff.csv:5"),
    (3, "2026-07-18", "booking balance", "900", "bookings/skiff.csv:4"),
    (3, "2026-07-20", "bill", "-1200", "ledgers/skiff.csv:33"),
    (3, "2026-07-21", "new bookings", "100", "bookings/skiff.csv:4"),
    (4, "2026-07-24", "payroll", "-2000", "ledgers/skiff.csv:16"),
    (4, "2026-07-28", "new bookings", "100", "bookings/skiff.csv:4"),
    (5, "2026-08-04", "new bookings", "100", "bookings/skiff.csv:4"),
    (6, "2026-08-05", "recurring charge", "-400", "ledgers/skiff.csv:9"),
    (6, "2026-08-07", "payroll", "-2000", "ledgers/skiff.csv:16"),
    (6, "2026-08-11", "new bookings", "100", "bookings/skiff.csv:4"),
    (7, "2026-08-15", "loan payment", "-650", "ledgers/skiff.csv:5"),
    (7, "2026-08-18", "new bookings", "100", "bookings/skiff.csv:4"),
    (8, "2026-08-21", "payroll", "-2000", "ledgers/skiff.csv:16"),
    (8, "2026-08-25", "new bookings", "100", "bookings/skiff.csv:4"),
    (9, "2026-08-30", "booking balance", "1200", "bookings/skiff.csv:5"),
    (9, "2026-09-01", "new bookings", "100", "bookings/skiff.csv:4"),
    (10, "2026-09-04", "payroll", "-2000", "ledgers/skiff.csv:16"),
    (10, "2026-09-05", "recurring charge", "-400", "ledgers/skiff.csv:9"),
    (10, "2026-09-08", "new bookings", "100", "bookings/skiff.csv:4"),
    (11, "2026-09-10", "recurring charge", "-900", "ledgers/skiff.csv:3"),
    (11, "2026-09-15", "loan payment", "-650", "ledgers/skiff.csv:5"),
    (11, "2026-09-15", "new bookings", "100", "bookings/skiff.csv:4"),
    (12, "2026-09-18", "payroll", "-2000", "ledgers/skiff.csv:16"),
    (12, "2026-09-22", "new bookings", "100", "bookings/skiff.csv:4"),
    (12, "2026-09-22", "new bookings", "316", "bookings/skiff.csv:4"),
    (13, "2026-09-29", "new bookings", "100", "bookings/skiff.csv:4"),
    (13, "2026-09-29", "new bookings", "316", "bookings/skiff.csv:4"),
]
SKIFF_CLOSING = [
    "23120", "21220", "20370", "18470", "18570", "16270", "15720",
    "13820", "15120", "12820", "11370", "9786", "10202",
]  # fmt: skip
FERN_LINES = [
    (1, "2026-07-01", "invoice", "800", "invoices/fern.csv:7"),
    (1, "2026-07-01", "recurring charge", "-1500", "ledgers/fern.csv:3"),
    (1, "2026-07-07", "invoice", "3000", "invoices/fern.csv:5"),
    (2, "2026-07-10", "recurring charge", "-49", "ledgers/fern.csv:5"),
    (2, "2026-07-13", "invoice", "1500", "invoices/fern.csv:6"),
    (5, "2026-08-01", "recurring charge", "-1500", "ledgers/fern.csv:3"),
    (6, "2026-08-10", "recurring charge", "-49", "ledgers/fern.csv:5"),
    (7, "2026-08-14", "bill", "-2400", "ledgers/fern.csv:12"),
    (9, "2026-09-01", "recurring charge", "-1500", "ledgers/fern.csv:3"),
    (11, "2026-09-10", "recurring charge", "-49", "ledgers/fern.csv:5"),
]
FERN_CLOSING = [
    "11653", "13104", "13104", "13104", "11604", "11555", "9155",
    "9155", "7655", "7655", "7606", "7606", "7606",
]  # fmt: skip


@pytest.fixture
def portfolio(tmp_path: Path) -> Path:
    for name, text in FILES.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return tmp_path


def _forecast(root: Path) -> ForecastResult:
    registry = get_registry(fresh=True)
    config = load_config(root / "portfolio.toml", registry.option_models(), environ={})
    snapshot = pipeline.collect(config, registry, AS_OF, key=b"k")
    result = pipeline.context(snapshot, config, registry).analysis("forecast")
    assert isinstance(result, ForecastResult)
    return result


def _lines(result: ForecastResult, entity: str) -> list[tuple[int, str, str, str, str]]:
    found = result.for_entity(entity)
    assert found is not None
    return [
        (
            w.number,
            x.day.isoformat(),
            x.kind,
            f"{x.amount.amount.normalize():f}",
            x.provenance[0].cite().split(" (")[0],
        )
        for w in found.weeks
        for x in w.lines
    ]


def _start(cite: str) -> str:
    """A citation's first line ("ledgers/skiff.csv:9-30" -> "ledgers/skiff.csv:9")."""
    return cite.split("-")[0] if cite.count(":") == 1 and "-" in cite.split(":")[1] else cite


def test_every_line_of_the_13_weeks_is_the_hand_worked_one_and_cited(portfolio: Path) -> None:
    result = _forecast(portfolio)
    for entity, expected in (("skiff-tours", SKIFF_LINES), ("fern-consult", FERN_LINES)):
        got = [(w, d, k, a, _start(c)) for w, d, k, a, c in _lines(result, entity)]
        assert sorted(got) == sorted(expected), entity


def test_every_week_opens_on_the_last_close_and_closes_as_worked(portfolio: Path) -> None:
    result = _forecast(portfolio)
    for entity, opening, closing in (
        ("skiff-tours", "22970", SKIFF_CLOSING),
        ("fern-consult", "9353", FERN_CLOSING),
    ):
        found = result.for_entity(entity)
        assert found is not None
        assert found.opening.amount == Decimal(opening)
        assert [w.closing.amount for w in found.weeks] == [Decimal(c) for c in closing]
        assert found.weeks[0].opening.amount == Decimal(opening)
        for before, week in zip(found.weeks, found.weeks[1:], strict=False):
            assert week.opening == before.closing
    port = result.portfolio
    assert port is not None
    assert [w.closing.amount for w in port.weeks] == [
        Decimal(a) + Decimal(b) for a, b in zip(SKIFF_CLOSING, FERN_CLOSING, strict=True)
    ]


def test_the_reserve_and_the_shortfall_week(portfolio: Path) -> None:
    result = _forecast(portfolio)
    skiff, fern = result.for_entity("skiff-tours"), result.for_entity("fern-consult")
    assert skiff is not None and fern is not None
    assert skiff.reserve is not None and skiff.reserve.amount.amount == 15000
    assert skiff.below_reserve is not None and skiff.below_reserve.number == 8
    assert skiff.below_zero is None
    assert fern.reserve is not None and fern.reserve.amount.amount == 4647
    assert fern.below_reserve is None


def test_the_assumptions_are_measured_and_stated(portfolio: Path) -> None:
    result = _forecast(portfolio)
    fern = result.for_entity("fern-consult")
    skiff = result.for_entity("skiff-tours")
    assert fern is not None and skiff is not None
    said = {a.name: a.value for a in (*fern.assumptions, *skiff.assumptions)}
    assert said["payment lag, Alder Co"] == 6
    assert said["payment lag, Birch Ltd"] == -2
    assert said["payment lag, any other client"] == 5
    assert said["booking lead time"] == Decimal("79.5")
    assert said["deposit share"] == Decimal("0.25")
    assert said["new bookings' deposits"] == 100
    assert said["new bookings' balances"] == 316


def test_the_cfo_brief_names_the_short_week_and_the_inflows_at_risk(portfolio: Path) -> None:
    runner = CliRunner()
    out = runner.invoke(
        cli,
        ["build", "-c", str(portfolio / "portfolio.toml"), "--report", "cfo", "--format", "json"],
    )
    assert out.exit_code == 0, out.output
    document = json.loads(out.output)
    doc = document[0] if isinstance(document, list) else document
    summary = [b["text"] for b in doc["summary"]]
    assert (
        "Cash runs short in week 8 (ends 2026-08-25) at Skiff Tours: $13.8K forecast, "
        "below its $15K reserve." in summary
    )
    assert (
        "Inflows at risk: Fern Consult F-6 Cedar Inc $800 (due 2026-05-31, overdue 30 days); "
        "Skiff Tours SK-5 balance $450 (unpaid since service on 2026-06-20)." in summary
    )


def test_a_recurring_line_cites_every_row_it_was_measured_from(portfolio: Path) -> None:
    result = _forecast(portfolio)
    skiff = result.for_entity("skiff-tours")
    assert skiff is not None
    payroll = next(x for x in skiff.lines if x.kind == "payroll")
    assert [p.cite() for p in payroll.provenance] == ["ledgers/skiff.csv:16-32 (6 rows)"]
    assert payroll.label == "Gusto (Payroll), every 14 days"
    quarterly = next(x for x in skiff.lines if x.label.startswith("Ledgerly"))
    assert quarterly.label == "Ledgerly (Accounting), quarterly"
    invoice = next(x for x in result.lines_of("fern-consult") if x.label.startswith("F-4"))
    assert invoice.label == "F-4 Alder Co, due 2026-07-01 +6 days"
    assert [p.cite() for p in invoice.provenance] == [
        "invoices/fern.csv:5",
        "invoices/fern.csv:2-3 (2 rows)",
    ]


# Gull Rentals, as of 2026-06-30: rent 1,000 to Dockworks on the 1st (04-01, 05-01, 06-01) and
# payroll 500 to Gusto every 14 days (04-24 .. 06-19); two rows are already booked after as_of:
# July's rent at its new 1,050 on 07-01 and the 07-03 payroll at 520. Each stands for its payee's
# next occurrence (within half a step of it), so neither is carried as well:
#   rent:    07-01 bill -1,050 (the known row); 08-01, 09-01 carried at -1,000;
#   payroll: 07-03 bill -520 (the known row); 07-17, 07-31, 08-14, 08-28, 09-11, 09-25 at -500.
# Cash on as_of: 10,000 - 3 x 1,000 - 5 x 500 = 4,500. Weeks: w1 -1,050 -520 = 2,930; w2 2,930;
# w3 -500 = 2,430; w4 2,430; w5 -500 -1,000 = 930; w6 930; w7 -500 = 430; w8 430;
# w9 -500 -1,000 = -1,070; w10 -1,070; w11 -500 = -1,570; w12 -1,570; w13 -500 = -2,070.
# Reserve 6,000 (set): the 4,500 on hand is already below it, so that is said as a fact of the
# report date (never back above it in 13 weeks), not as "runs short in week 1"; the cash then
# falls below zero in week 9 (ends 09-01): that is the week it runs short.
GULL = {
    "portfolio.toml": """\
[portfolio]
name = "Gull Works"
currency = "USD"
as_of = 2026-06-30

[[entities]]
id = "gull-rentals"
name = "Gull Rentals"
kind = "rental"
ledger = "ledgers/gull.csv"

[entities.settings.forecast]
reserve = 6000
""",
    "ledgers/gull.csv": """\
date,account,amount,memo,counterparty,reference,type
2026-03-01,Assets:Checking,10000.00,Opening balance,,,opening
2026-04-01,Expenses:Rent,1000.00,Slip rent,Dockworks,,
2026-04-24,Expenses:Payroll,500.00,Crew pay,Gusto,,
2026-05-01,Expenses:Rent,1000.00,Slip rent,Dockworks,,
2026-05-08,Expenses:Payroll,500.00,Crew pay,Gusto,,
2026-05-22,Expenses:Payroll,500.00,Crew pay,Gusto,,
2026-06-01,Expenses:Rent,1000.00,Slip rent,Dockworks,,
2026-06-05,Expenses:Payroll,500.00,Crew pay,Gusto,,
2026-06-19,Expenses:Payroll,500.00,Crew pay,Gusto,,
2026-07-01,Expenses:Rent,1050.00,Slip rent (new lease),Dockworks,,
2026-07-03,Expenses:Payroll,520.00,Crew pay,Gusto,,
""",
}
GULL_LINES = [
    (1, "2026-07-01", "bill", "-1050", "ledgers/gull.csv:11"),
    (1, "2026-07-03", "bill", "-520", "ledgers/gull.csv:12"),
    (3, "2026-07-17", "payroll", "-500", "ledgers/gull.csv:4"),
    (5, "2026-07-31", "payroll", "-500", "ledgers/gull.csv:4"),
    (5, "2026-08-01", "recurring charge", "-1000", "ledgers/gull.csv:3"),
    (7, "2026-08-14", "payroll", "-500", "ledgers/gull.csv:4"),
    (9, "2026-08-28", "payroll", "-500", "ledgers/gull.csv:4"),
    (9, "2026-09-01", "recurring charge", "-1000", "ledgers/gull.csv:3"),
    (11, "2026-09-11", "payroll", "-500", "ledgers/gull.csv:4"),
    (13, "2026-09-25", "payroll", "-500", "ledgers/gull.csv:4"),
]
GULL_CLOSING = [
    "2930", "2930", "2430", "2430", "930", "930", "430",
    "430", "-1070", "-1070", "-1570", "-1570", "-2070",
]  # fmt: skip


def test_a_booked_row_of_a_recurring_payee_is_not_counted_twice(tmp_path: Path) -> None:
    _write_gull(tmp_path)
    result = _forecast(tmp_path)
    got = [(w, d, k, a, _start(c)) for w, d, k, a, c in _lines(result, "gull-rentals")]
    assert sorted(got) == sorted(GULL_LINES)
    gull = result.for_entity("gull-rentals")
    assert gull is not None and gull.opening.amount == Decimal("4500")
    assert [w.closing.amount for w in gull.weeks] == [Decimal(c) for c in GULL_CLOSING]


def _write_gull(root: Path) -> None:
    for name, text in GULL.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def test_cash_already_under_the_reserve_is_said_as_now_not_as_week_1(tmp_path: Path) -> None:
    _write_gull(tmp_path)
    result = _forecast(tmp_path)
    gull = result.for_entity("gull-rentals")
    assert gull is not None and gull.reserve is not None
    assert gull.short_now == gull.reserve.amount
    assert gull.below_reserve is None  # it never falls below it: it starts there
    assert gull.back_above(gull.reserve.amount) is None
    assert gull.below_zero is not None and gull.below_zero.number == 9
    out = CliRunner().invoke(
        cli,
        ["build", "-c", str(tmp_path / "portfolio.toml"), "--report", "cfo", "--format", "json"],
    )
    assert out.exit_code == 0, out.output
    document = json.loads(out.output)
    doc = document[0] if isinstance(document, list) else document
    summary = [b["text"] for b in doc["summary"]]
    assert (
        "Cash is already short now (2026-06-30): Gull Rentals $4.5K, below its $6K reserve, "
        "not back above it in 13 weeks." in summary
    )
    assert (
        "Cash runs short in week 9 (ends 2026-09-01) at Gull Rentals: -$1.1K forecast, "
        "below zero." in summary
    )
    assert not any("week 1 " in line for line in summary)
