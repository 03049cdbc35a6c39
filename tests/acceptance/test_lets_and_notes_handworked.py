"""A portfolio written from the docs alone (docs/formats.md, docs/metrics.md), every figure
worked by hand below and compared with `execbrief build --format json` (the real CLI):

- Elm Street Flat, a long-term let (a monthly rent in its note): rent per month, months let and
  economic vacancy, never an ADR or occupancy;
- Bay Cabin, a short-term let (nightly bookings with nights): ADR, occupancy, RevPAR;
- Ridge Advisory, a consultancy whose note mentions far less unbilled work than its timesheets.

The notes disagree with the data on purpose (cash, occupancy, burn, unbilled work) and the CEO
briefing must say each difference in one line citing both sources, use the data's figure, and
keep the finding computed from the timesheets.

The ledgers are execbrief's own CSV layout (docs/formats.md, "Ledgers": date, account, amount,
memo, counterparty, reference, type), the bookings and timesheets its generic layouts; no
third-party tool's export is imitated here.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from execbrief.cli import cli

# as_of 2026-07-15, window_months = 6: the rental window is 2026-01..2026-06, 181 nights
# (31 + 28 + 31 + 30 + 31 + 30).
FILES = {
    "portfolio.toml": """\
[portfolio]
name = "Two Lets"
currency = "USD"
as_of = 2026-07-15

[analysis.operations]
window_months = 6

[[entities]]
id = "elm"
name = "Elm Street Flat"
kind = "rental"
ledger = "ledgers/elm.csv"
handoff = "notes/elm.md"

[[entities]]
id = "bay"
name = "Bay Cabin"
kind = "rental"
ledger = "ledgers/bay.csv"
bookings = "bookings/bay.csv"
handoff = "notes/bay.md"

[[entities]]
id = "ridge"
name = "Ridge Advisory"
kind = "consultancy"
ledger = "ledgers/ridge.csv"
timesheets = "timesheets/ridge.csv"
handoff = "notes/ridge.md"
""",
    # Elm: rent $1,850 received Jan, Feb, Mar, May, Jun (April vacant) = 5 x 1,850 = 9,250;
    # insurance 6 x 120 = 720 and a repair of 400 in April: operating expenses 1,120.
    # Cash: 5,000 + 9,250 - 1,120 = 13,130, asserted on 06-30 (line 15).
    "ledgers/elm.csv": """\
date,account,amount,memo,counterparty,reference,type
2026-01-01,Assets:Checking,5000.00,Opening balance,,,opening
2026-01-03,Income:Rent,1850.00,January rent,Tenant,,
2026-01-15,Expenses:Insurance,120.00,Landlord policy,Insco,,
2026-02-03,Income:Rent,1850.00,February rent,Tenant,,
2026-02-15,Expenses:Insurance,120.00,Landlord policy,Insco,,
2026-03-03,Income:Rent,1850.00,March rent,Tenant,,
2026-03-15,Expenses:Insurance,120.00,Landlord policy,Insco,,
2026-04-15,Expenses:Insurance,120.00,Landlord policy,Insco,,
2026-04-20,Expenses:Repairs,400.00,Boiler between tenants,Plumber,,
2026-05-03,Income:Rent,1850.00,May rent,Tenant,,
2026-05-15,Expenses:Insurance,120.00,Landlord policy,Insco,,
2026-06-03,Income:Rent,1850.00,June rent,Tenant,,
2026-06-15,Expenses:Insurance,120.00,Landlord policy,Insco,,
2026-06-30,Assets:Checking,13130.00,Statement,,,balance
""",
    "notes/elm.md": """\
# Elm Street Flat

- Monthly rent: $1,850
- Cash: 12,700 dollars in the rental account
- Cash invested: $96,500
- Property value: $310,000
""",
    # Bay: six completed stays, 40 nights, $8,400 (received on the stay's date); cleaning $100 a
    # stay. Cash: 2,000 + 8,400 - 600 = 9,800, asserted on 06-30 (line 15).
    "ledgers/bay.csv": """\
date,account,amount,memo,counterparty,reference,type
2026-01-01,Assets:Checking,2000.00,Opening balance,,,opening
2026-01-10,Income:Stays,800.00,Stay,Airbnb,B1,
2026-01-14,Expenses:Cleaning,100.00,Turnover,Maids,,
2026-02-14,Income:Stays,600.00,Stay,Airbnb,B2,
2026-02-17,Expenses:Cleaning,100.00,Turnover,Maids,,
2026-03-20,Income:Stays,1000.00,Stay,Airbnb,B3,
2026-03-25,Expenses:Cleaning,100.00,Turnover,Maids,,
2026-04-05,Income:Stays,1200.00,Stay,Airbnb,B4,
2026-04-11,Expenses:Cleaning,100.00,Turnover,Maids,,
2026-05-22,Income:Stays,2100.00,Stay,Airbnb,B5,
2026-06-01,Expenses:Cleaning,100.00,Turnover,Maids,,
2026-06-10,Income:Stays,2700.00,Stay,Airbnb,B6,
2026-06-22,Expenses:Cleaning,100.00,Turnover,Maids,,
2026-06-30,Assets:Checking,9800.00,Statement,,,balance
""",
    "bookings/bay.csv": """\
id,created,service_date,status,amount,deposit,channel,customer,units
B1,2025-12-20,2026-01-10,completed,800,0,airbnb,Ha,4
B2,2026-01-20,2026-02-14,completed,600,0,airbnb,Io,3
B3,2026-02-25,2026-03-20,completed,1000,0,airbnb,Ju,5
B4,2026-03-10,2026-04-05,completed,1200,0,airbnb,Ka,6
B5,2026-04-30,2026-05-22,completed,2100,0,airbnb,Lu,10
B6,2026-05-15,2026-06-10,completed,2700,0,airbnb,Mo,12
""",
    "notes/bay.md": """\
# Bay Cabin

- Cash on hand: $38,900
- Occupancy: 65%
- Burn: $2,500/mo
- Average daily rate: $205
""",
    # Ridge: fees of 3,000 a month received; software 1,000 a month. Unbilled: 20 + 10 billable
    # hours at 150 with no invoice = 4,500 (lines 4 and 5).
    "ledgers/ridge.csv": """\
date,account,amount,memo,counterparty,reference,type
2026-04-01,Assets:Bank,10000.00,Opening balance,,,opening
2026-04-10,Income:Consulting,3000.00,Fees,Alpha,R-1,
2026-04-30,Expenses:Software,1000.00,Tools,Vendor,,
2026-05-10,Income:Consulting,3000.00,Fees,Alpha,R-2,
2026-05-31,Expenses:Software,1000.00,Tools,Vendor,,
2026-06-10,Income:Consulting,3000.00,Fees,Alpha,R-3,
2026-06-30,Expenses:Software,1000.00,Tools,Vendor,,
""",
    "timesheets/ridge.csv": """\
date,client,person,hours,billable,rate,invoice
2026-04-05,Alpha,Ann,20,yes,150,R-1
2026-06-12,Alpha,Ann,20,yes,150,
2026-06-20,Beta,Ann,10,yes,150,
""",
    "notes/ridge.md": """\
# Ridge Advisory

## Billing

About $1,300 of work has not been invoiced yet.
""",
}


def build(config: Path, report: str) -> dict[str, Any]:
    result = CliRunner().invoke(
        cli, ["build", "-c", str(config), "--report", report, "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


@pytest.fixture(scope="module")
def config(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("lets")
    for name, text in FILES.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root / "portfolio.toml"


def cell(value: Any) -> Any:
    """A JSON value as text: money as its amount, a percent as its number."""
    if isinstance(value, dict):
        if value.get("type") == "money":
            return value["amount"]
        if value.get("type") == "percent":
            return value["value"]
        if value.get("type") == "money_range":
            low, high = value["low"]["amount"], value["high"]["amount"]
            return low if low == high else f"{low}..{high}"
    return value


def tables(document: Any, title: str) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("title") == title and "rows" in node:
                out.append(node)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(document)
    assert out, title
    return out


def rows(document: Any, title: str) -> list[tuple[list[Any], list[str]]]:
    return [
        ([cell(c) for c in row["cells"]], [_cite(p) for p in row.get("provenance", [])])
        for table in tables(document, title)
        for row in table["rows"]
    ]


def _cite(p: dict[str, Any]) -> str:
    line, end = p.get("line"), p.get("end_line")
    where = p["source"] + (f":{line}" if line else "")
    return where + (f"-{end}" if end and end != line else "")


def summary(document: Any) -> list[str]:
    return [b["text"] for b in document["summary"]]


def brief_summary(document: Any) -> list[str]:
    return [b["text"] for b in document["brief"]["summary"]]


def test_a_long_term_let_gets_rent_months_let_and_economic_vacancy(config: Path) -> None:
    rental = build(config, "rental")
    kpis = rows(rental, "KPIs of a long-term let")
    assert [r[0] for r in kpis] == [
        ["Rent per month", "1850.00", "monthly rent (notes)"],
        # Jan, Feb, Mar, May, Jun have rent; April has none
        ["Months let", "5 of 6", "months of 2026-01..2026-06 with rental income (ledger)"],
        # 1 - 9,250 / (1,850 x 6 = 11,100) = 1 - 0.8333.. = 16.67%
        [
            "Economic vacancy",
            "16.67",
            "1 − rental income ÷ (monthly rent × months in the window)",
        ],
    ]
    assert kpis[0][1] == ["notes/elm.md:3"]
    assert kpis[1][1][0] == "ledgers/elm.csv:3-14"  # the window's lines (2 is the opening)
    # NOI (9,250 - 1,120) x 12 / 6 = 16,260; cap rate 16,260 / 310,000 = 5.245% -> 5.25%;
    # cash-on-cash (no debt) 16,260 / 96,500 = 16.85% (the note's "Cash invested", not its cash)
    elm = next(s for s in summary(rental) if s.startswith("Elm Street Flat"))
    assert elm == (
        "Elm Street Flat (long-term let): rent $1.9K/mo, let 5 of 6 months, economic vacancy "
        "17%; NOI $16.3K/yr, cap rate 5.3%, cash-on-cash 17%."
    )
    assert "Average daily rate" not in json.dumps(tables(rental, "KPIs of a long-term let"))


def test_a_short_term_let_gets_adr_occupancy_and_revpar_from_nights(config: Path) -> None:
    rental = build(config, "rental")
    kpis = rows(rental, "KPIs of a short-term let")
    assert [r[0] for r in kpis] == [
        # 8,400 / 40 nights = 210.00 (the bookings, not the note's $205)
        ["Average daily rate", "210.00", "booked revenue ÷ booked nights (bookings)"],
        # 40 / 181 = 22.099% -> 22.10% (the bookings, not the note's 65%)
        ["Occupancy", "22.10", "booked nights ÷ nights available (bookings)"],
        # 8,400 / 181 = 46.408.. -> 46.41
        ["RevPAR", "46.41", "booked revenue ÷ nights available (bookings)"],
    ]
    assert kpis[0][1] == ["bookings/bay.csv:2-7"]


def test_the_ceo_weighs_the_notes_against_the_data(config: Path) -> None:
    ceo = build(config, "ceo")
    table = rows(ceo, "Figures stated in the notes, weighed against the data")
    verdicts = {(r[0][0], r[0][1]): (r[0][2], r[0][3], r[0][4], r[1]) for r in table}
    # Elm: the note's 12,700 is within 10% (1,270) of the ledger's 13,130: agrees
    elm_cash = verdicts[("Elm Street Flat", "cash")]
    assert elm_cash[:3] == ("12700", "13130.00", "agrees (the ledger)")
    assert elm_cash[3][:2] == ["notes/elm.md:4", "ledgers/elm.csv:15"]
    # Bay: 38,900 against 9,800 (tolerance 3,890): differs
    assert verdicts[("Bay Cabin", "cash")][:3] == (
        "38900",
        "9800.00",
        "differs: the ledger's figure is used",
    )
    # 65% against 22.10%: more than 5 points
    assert verdicts[("Bay Cabin", "occupancy")][:3] == (
        "65",
        "22.10",
        "differs: the bookings's figure is used",
    )
    # Ridge: ~$1,300 in a sentence against 30 h x 150 = 4,500 in the timesheets
    assert verdicts[("Ridge Advisory", "unbilled work")][:3] == (
        "1300",
        "4500",
        "differs: the timesheets's figure is used",
    )
    lines = brief_summary(ceo)
    assert (
        "Bay Cabin: the note says cash $38,900 (notes/bay.md:3); the ledger says $9,800 "
        "(ledgers/bay.csv:15); the data's figure is used."
    ) in lines
    assert (
        "Ridge Advisory: the note says unbilled work ~$1,300 (notes/ridge.md:5); the timesheets "
        "say $4,500 (timesheets/ridge.csv:3); the data's figure is used."
    ) in summary(ceo)
    assert (
        "Bay Cabin: the note says occupancy 65% (notes/bay.md:4); the bookings say 22.1% "
        "(bookings/bay.csv:2-7 (6 rows)); the data's figure is used."
    ) in summary(ceo)


def test_a_stated_burn_is_compared_with_the_computed_one(config: Path) -> None:
    ceo = build(config, "ceo")
    table = rows(ceo, "Figures stated in the notes, weighed against the data")
    burn = next(r for r in table if r[0][:2] == ["Bay Cabin", "burn"])
    # net burn Apr..Jun: (100 - 1,200) + (0 - 2,100) + (200 - 2,700) = -5,700; / 3 = -1,900;
    # a burn not labelled net that disagrees with the net is compared with the gross burn
    # (docs/metrics.md, "Notes against the data"): Apr 100, May 0 (June 1 cleaning), Jun 200
    assert burn[0][3] == "0.00..200.00"
    assert burn[0][4] == "differs: the ledger (gross burn, 3 months)'s figure is used"
    assert burn[1][0] == "notes/bay.md:5"


def test_the_timesheets_finding_is_kept_over_the_notes_sentence(config: Path) -> None:
    ceo = build(config, "ceo")
    text = json.dumps(ceo)
    assert "Ridge Advisory has $4,500 of unbilled work" in brief_summary(ceo)
    assert '"id": "operations.unbilled:ridge"' in text
    assert "Ridge Advisory has $1,300 of unbilled work" not in text


def test_the_brief_shows_the_ledgers_cash_not_the_notes(config: Path) -> None:
    ceo = build(config, "ceo")
    figures = {f["label"]: cell(f["metric"]["value"]) for f in ceo["brief"]["figures"]}
    assert figures.get("Cash (ledger), Bay Cabin") == "9800.00"
    assert "Cash, Bay Cabin" not in figures


def test_the_notes_kpi_list_of_a_long_term_let_asks_for_no_nightly_figures(config: Path) -> None:
    ceo = build(config, "ceo")
    text = json.dumps(ceo)
    # Elm's note states its rent, value and cash invested; only revenue is missing
    assert "Elm Street Flat (rental) tracks 3 of 4; missing: revenue." in text
    # Bay Cabin, a short-term let, is still asked for its nightly figures
    assert "Bay Cabin (rental) tracks 2 of 6; missing: " in text
    assert "average length of stay" in text
