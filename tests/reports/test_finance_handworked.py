"""A small portfolio nobody wrote the code against, every figure worked out by hand from
docs/metrics.md and compared, to the cent, with `execbrief build --format json` (the real CLI and
sources). Edge cases: a profitable entity (negative burn), a month with no lines (zero burn), no cash
balance, a refund, negative contribution (break-even not reachable), a deposit for a later service,
an invoice paid after its due date, aging boundaries at 30/31/60/61/90/91 days; and the gate."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from execbrief.cli import cli

FILES = {
    "portfolio.toml": """\
[portfolio]
name = "Audit Five"
currency = "USD"
as_of = 2026-06-15

[analysis.operations]
window_months = 3

[[entities]]
id = "kite-tours"
name = "Kite Tours"
kind = "charter"
ledger = "ledgers/kite.csv"
bookings = "bookings/kite.csv"

[[entities]]
id = "cove-cottage"
name = "Cove Cottage"
kind = "rental"
ledger = "ledgers/cove.csv"
bookings = "bookings/cove.csv"
[entities.settings.operations]
property_value = 250000
cash_invested = 50000

[[entities]]
id = "ridge-consult"
name = "Ridge Consult"
kind = "consultancy"
ledger = "ledgers/ridge.csv"
timesheets = "timesheets/ridge.csv"
invoices = "invoices/ridge.csv"
[entities.settings.finance]
variable_cost = 200

[[entities]]
id = "blue-run"
name = "Blue Run Deliveries"
kind = "delivery"
trips = "trips/bp.csv"
""",
    "ledgers/kite.csv": """\
date,account,amount,memo,counterparty,reference,type
2026-01-01,Assets:Checking,10000.00,Opening balance,,,opening
2026-01-10,Income:Charters,1200.00,Charter,Stripe,KT-1,
2026-01-15,Expenses:Fuel,300.00,Fuel,Shell,,
2026-01-20,Expenses:Insurance,500.00,Premium,Insco,,
2026-03-05,Income:Charters,2000.00,Charter,Stripe,KT-2,
2026-03-10,Expenses:Fuel,400.00,Fuel,Shell,,
2026-03-20,Expenses:Insurance,500.00,Premium,Insco,,
2026-03-25,Income:Charters,-200.00,Partial refund,Stripe,KT-2,
2026-04-02,Income:Charters,600.00,Deposit,Stripe,KT-5,
2026-04-15,Expenses:Insurance,500.00,Premium,Insco,,
2026-04-20,Income:Charters,500.00,Deposit,Stripe,KT-3,
2026-05-08,Income:Charters,1000.00,Balance due,Stripe,KT-3,
2026-05-09,Income:Charters,300.00,Deposit,Stripe,KT-6,
2026-05-12,Expenses:Fuel,250.00,Fuel,Shell,,
2026-05-20,Expenses:Insurance,500.00,Premium,Insco,,
2026-05-31,Assets:Checking,12450.00,Statement,,,balance
2026-06-03,Income:Charters,400.00,Deposit,Stripe,KT-7,
2026-06-05,Expenses:Fuel,100.00,Fuel,Shell,,
""",
    "bookings/kite.csv": """\
id,created,service_date,status,amount,deposit,channel,customer
KT-1,2026-01-02,2026-01-10,completed,1200,0,website,Al
KT-2,2026-02-20,2026-03-05,completed,2000,0,website,Bo
KT-3,2026-04-20,2026-05-08,completed,1500,500,website,Cy
KT-5,2026-04-02,2026-07-10,booked,1800,600,website,Di
KT-6,2026-05-09,2026-05-28,booked,900,300,website,Ed
KT-7,2026-06-03,2026-06-20,booked,1000,400,website,Fa
KT-8,2026-03-01,2026-03-15,cancelled,800,0,website,Gu
""",
    "ledgers/cove.csv": """\
date,account,amount,memo,counterparty,reference,type
2026-01-05,Income:Rent,1500.00,Stay,Airbnb,CC-1,
2026-01-20,Expenses:Cleaning,200.00,Turnover,Maids,,
2026-02-10,Expenses:Mortgage Interest,300.00,Interest,Bank,,
2026-02-10,Liabilities:Mortgage,-700.00,Principal,Bank,,
2026-03-05,Income:Rent,2000.00,Stay,Airbnb,CC-2,
2026-03-10,Expenses:Cleaning,250.00,Turnover,Maids,,
2026-03-10,Expenses:Mortgage Interest,300.00,Interest,Bank,,
2026-03-10,Liabilities:Mortgage,-700.00,Principal,Bank,,
2026-04-05,Income:Rent,1800.00,Stay,Airbnb,CC-3,
2026-04-10,Expenses:Cleaning,150.00,Turnover,Maids,,
2026-04-10,Expenses:Mortgage Interest,300.00,Interest,Bank,,
2026-04-10,Liabilities:Mortgage,-700.00,Principal,Bank,,
2026-05-05,Income:Rent,2200.00,Stay,Airbnb,CC-4,
2026-05-10,Expenses:Property Tax,600.00,County,County,,
2026-05-10,Expenses:Mortgage Interest,300.00,Interest,Bank,,
2026-05-10,Liabilities:Mortgage,-700.00,Principal,Bank,,
""",
    "bookings/cove.csv": """\
id,created,service_date,status,amount,deposit,channel,customer,units
CC-1,2025-12-20,2026-01-08,completed,1500,0,airbnb,Ha,5
CC-2,2026-02-15,2026-03-06,completed,2000,0,airbnb,Io,8
CC-3,2026-03-20,2026-04-06,completed,1800,0,airbnb,Ju,7
CC-4,2026-04-25,2026-05-06,completed,2400,0,airbnb,Ka,10
CC-5,2026-05-01,2026-05-20,cancelled,900,0,airbnb,Lu,3
""",
    "ledgers/ridge.csv": """\
date,account,amount,memo,counterparty,reference,type
2026-01-01,Assets:Bank,5000.00,Opening balance,,,opening
2026-01-31,Expenses:Software,1000.00,Tools,Vendor,,
2026-02-15,Income:Consulting,1500.00,Payment,Alpha,RC-1,
2026-02-28,Expenses:Software,1000.00,Tools,Vendor,,
2026-03-31,Expenses:Software,1000.00,Tools,Vendor,,
2026-04-10,Income:Consulting,600.00,Payment,Beta,RC-2,
2026-04-30,Expenses:Software,1000.00,Tools,Vendor,,
2026-05-20,Income:Consulting,900.00,Payment,Alpha,RC-3,
2026-05-31,Expenses:Software,1000.00,Tools,Vendor,,
2026-05-31,Assets:Bank,3000.00,Statement,,,balance
2026-06-10,Expenses:Software,1000.00,Tools,Vendor,,
""",
    "timesheets/ridge.csv": """\
date,client,person,hours,billable,rate,invoice
2026-01-20,Alpha,Ann,10,yes,150,RC-1
2026-03-15,Beta,Ann,4,yes,150,RC-2
2026-04-20,Alpha,Ann,6,yes,150,RC-3
2026-05-10,Gamma,Ann,5,yes,150,
2026-06-01,Alpha,Ann,3,yes,160,
2026-06-20,Alpha,Ann,2,yes,150,
2026-05-12,Beta,Ann,4,no,150,
""",
    "invoices/ridge.csv": """\
number,client,issued,due,amount,paid_on
RC-1,Alpha,2026-01-31,2026-02-15,1500,2026-02-15
RC-2,Beta,2026-03-31,2026-04-10,600,2026-04-10
RC-3,Alpha,2026-04-30,2026-05-10,900,2026-05-20
RC-4,Alpha,2026-05-01,2026-06-15,100,
RC-5,Beta,2026-05-01,2026-05-16,200,
RC-6,Gamma,2026-04-01,2026-05-15,300,
RC-7,Gamma,2026-03-01,2026-04-16,400,
RC-8,Gamma,2026-03-01,2026-04-15,500,
RC-9,Delta,2026-02-01,2026-03-17,700,
RC-10,Delta,2026-02-01,2026-03-16,800,
RC-11,Alpha,2026-06-01,2026-07-01,250,2026-06-20
""",
    "trips/bp.csv": """\
id,start,end,origin,destination,nm,fee,expenses
BP-2,2026-03-10,2026-03-12,Annapolis MD,Newport RI,200,2000.00,500.00
BP-3,2026-04-01,2026-04-01,Newport RI,Bristol RI,50,600.00,100.00
BP-4,2026-05-30,2026-06-03,Bristol RI,Camden ME,300,2500.00,700.00
BP-5,2026-06-10,2026-06-11,Camden ME,Rockland ME,20,300.00,50.00
""",
}


def portfolio(root: Path, changes: dict[str, tuple[str, str]] | None = None) -> Path:
    """Write the portfolio under root; ``changes`` maps a file to (old, new) text to swap."""
    for name, text in FILES.items():
        if changes and name in changes:
            old, new = changes[name]
            assert old in text
            text = text.replace(old, new)
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root / "portfolio.toml"


def build(config: Path, report: str) -> dict[str, Any]:
    result = CliRunner().invoke(
        cli, ["build", "-c", str(config), "--report", report, "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def cell(value: Any) -> Any:
    """A table cell as plain text: '-900.00..-550.00' for a range, '12750.00' for money."""
    if isinstance(value, dict):
        kind = str(value.get("type", ""))
        if kind == "money_range":
            return f"{value['low']['amount']}..{value['high']['amount']}"
        if kind == "money":
            return value["amount"]
        for key in ("value", "text"):
            if key in value:
                return cell(value[key])
    return value


def table(document: dict[str, Any], title: str) -> dict[str, list[Any]]:
    """Rows of the table called ``title``, keyed by their first cell."""
    for section in document["sections"]:
        for block in section.get("blocks", []):
            if block.get("title") == title and "metrics" in block:  # a Metrics block
                return {m["label"]: [cell(m["value"]), m["value"]] for m in block["metrics"]}
            if block.get("title") == title and "rows" in block:
                rows = [r.get("cells", r) if isinstance(r, dict) else r for r in block["rows"]]
                return {str(cell(r[0])): [cell(c) for c in r[1:]] for r in rows}
    raise AssertionError(f"no table {title!r}")


def rows_of(document: dict[str, Any], title: str) -> list[list[Any]]:
    """Every row of the table called ``title``, in order."""
    for section in document["sections"]:
        for block in section.get("blocks", []):
            if block.get("title") == title and "rows" in block:
                rows = [r.get("cells", r) if isinstance(r, dict) else r for r in block["rows"]]
                return [[cell(c) for c in r] for r in rows]
    raise AssertionError(f"no table {title!r}")


def cites(document: dict[str, Any]) -> set[str]:
    """Every provenance in the document as 'file:line' or 'file:first-last'."""
    found: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "provenance":
                line, end = node.get("line"), node.get("end_line")
                found.add(f"{node['source']}:{line}" + (f"-{end}" if end and end != line else ""))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(document)
    return found


@pytest.fixture(scope="module")
def config(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return portfolio(tmp_path_factory.mktemp("handworked"))


def test_cash_burn_and_runway_to_the_cent(config: Path) -> None:
    cfo = build(config, "cfo")
    rows = table(cfo, "Cash, burn and runway")
    # cash, net burn 3 mo (Mar..May), net burn 6 mo (clipped to Jan..May), gross burn 3 mo, runway,
    # then the headline: the average net burn of Mar..May and the runway at it
    assert rows["Kite Tours"] == [
        "12750.00",
        "-900.00..-550.00",
        "-900.00..0",
        "500.00..1100.00",
        "not burning",
        "-683.33..-683.33",  # (-900 - 600 - 550) / 3 = -683.333..
        "not burning",
    ]  # a refund is cash out (gross 1,100 in March); February has no lines: burn 0
    assert rows["Cove Cottage"][:4] == [
        "unknown",  # no balance: said, not left blank (audit14b finding 3)
        "-750.00..-600.00",
        "-1300.00..1000.00",
        "1150.00..1600.00",
    ]  # principal repaid is cash out
    assert rows["Cove Cottage"][4] == "unknown, no cash balance"
    # (-750 - 650 - 600) / 3 = -666.666..; no balance, so no runway either way
    assert rows["Cove Cottage"][5:] == ["-666.67..-666.67", "unknown, no cash balance"]
    assert rows["Ridge Consult"] == [
        "2000.00",
        "100.00..1000.00",
        "-500.00..1000.00",
        "1000.00..1000.00",
        "2–20 months (out 2026-08-14 – 2028-02-13)",
        # (1000 + 400 + 100) / 3 = 500.00; 2,000 / 500 = 4 months; +floor(4 x 30.4375) = 121 days
        "500.00..500.00",
        "4 months at the average burn (out 2026-10-14)",
    ]
    assert rows["Audit Five"][:4] == [
        "14750.00",
        "-1050.00..-650.00",
        "-1050.00..500.00",
        "2650.00..3350.00",
    ]
    # Mar -900 - 750 + 1000 = -650, Apr -600 - 650 + 400 = -850, May -550 - 600 + 100 = -1050
    assert rows["Audit Five"][5] == "-850.00..-850.00"
    assert cfo["reconciled"] is True
    cited = cites(cfo)
    # Kite's cash: the 05-31 assertion and the two June lines after it; Ridge's 3-month burn rows
    assert {"ledgers/kite.csv:17", "ledgers/kite.csv:18-19", "ledgers/ridge.csv:6-10"} <= cited


def test_pnl_rollup_is_the_sum_of_the_entities(config: Path) -> None:
    for report in ("cfo", "ceo"):
        rows = table(build(config, report), "P&L by entity, 2026-01..2026-05")
        assert rows["Kite Tours"][:3] == ["5400.00", "2950.00", "2450.00"]
        assert rows["Cove Cottage"][:3] == ["7500.00", "2400.00", "5100.00"]
        assert rows["Ridge Consult"][:3] == ["3000.00", "5000.00", "-2000.00"]
        assert rows["Portfolio (Audit Five)"][:3] == ["15900.00", "10350.00", "5550.00"]
    months = table(build(config, "cfo"), "Portfolio by month")
    assert months == {
        "2026-01": ["2700.00", "2000.00", "700.00"],
        "2026-02": ["1500.00", "1300.00", "200.00"],
        "2026-03": ["3800.00", "2450.00", "1350.00"],
        "2026-04": ["3500.00", "1950.00", "1550.00"],
        "2026-05": ["4400.00", "2650.00", "1750.00"],
    }


def test_break_even_and_targets(config: Path) -> None:
    rows = table(build(config, "cfo"), "Break-even and monthly revenue targets")
    # price 5,600 / 4 charters; fuel 950 / 4; insurance 2,000 / 5 months; 400 / (1,162.50 / 1,400)
    assert rows["Kite Tours"] == [
        "charter",
        "1400.00",
        "237.50",
        "1162.50",
        "400.00",
        "1 charter/month (now 0.8/month)",
        "1080.00",
        "481.72",
        "587.93",
    ]
    assert rows["Cove Cottage"][:6] == [
        "night",
        "256.67",
        "20.00",
        "236.67",
        "360.00",
        "2 nights/month (now 6/month)",
    ]
    assert rows["Cove Cottage"][7:] == ["390.42", "466.27"]
    ridge = rows["Ridge Consult"]
    assert ridge[1:5] == ["150.00", "200.00", "-50.00", "1000.00"]
    assert str(ridge[5]).startswith("not reachable") and ridge[7:] == [None, None]


def test_rental_unit(config: Path) -> None:
    rental = build(config, "rental")
    figures = table(rental, "Key figures")
    # rate 6,200 / 25 nights = 248 x 92 nights; NOI (6,000 - 1,000) x 4; debt service 3,000 x 4
    assert figures["Gross potential rent (window)"][0] == "22816.00"
    assert figures["NOI (annualised)"][0] == "20000.00"
    # the stays in the window (the cancelled one left out) and the window's ledger lines
    assert {"bookings/cove.csv:3-5", "ledgers/cove.csv:6-17"} <= cites(rental)
    # occupancy 25 / 92 nights; cap 20,000 / 250,000; cash-on-cash (20,000 - 12,000) / 50,000;
    # collection 6,000 collected / 6,200 billed
    assert {k: v[0] for k, v in figures.items()} == {
        "Gross potential rent (window)": "22816.00",
        "Occupancy": "27.17",
        "Vacancy": "72.83",
        "NOI (annualised)": "20000.00",
        "Cap rate": "8.00",
        "Cash-on-cash return": "16.00",
        "Collection rate": "96.77",
    }


def test_rental_window_starts_with_the_books_and_shows_a_rounded_rate(tmp_path: Path) -> None:
    config = portfolio(tmp_path, {"portfolio.toml": ("window_months = 3", "window_months = 12")})
    rental = build(config, "rental")
    # 12 months asked, the ledger starts 2026-01: 2026-01..2026-05, 151 nights at 7,700 / 30;
    # NOI (7,500 - 1,200) x 12 / 5; cap 15,120 / 250,000; (15,120 - 9,600) / 50,000
    figures = {k: v[0] for k, v in table(rental, "Key figures").items()}
    assert figures["Gross potential rent (window)"] == "38756.67"
    assert (figures["Occupancy"], figures["NOI (annualised)"]) == ("19.87", "15120.00")
    assert (figures["Cap rate"], figures["Cash-on-cash return"]) == ("6.05", "11.04")
    labels = [row[0] for row in rows_of(rental, "Operating statement")]
    assert "Gross potential rent ($256.67 per night, from bookings)" in labels


def test_rental_without_bookings_or_rate_says_why_vacancy_is_unknown(tmp_path: Path) -> None:
    config = portfolio(tmp_path, {"bookings/cove.csv": ("id,created,", "id,")})  # unreadable
    summary = " ".join(b["text"] for b in build(config, "rental")["summary"])
    assert "NOI $20K/yr, cap rate 8%" in summary
    assert summary.endswith("vacancy unknown (no bookings and no rate).")


def test_billing_unbilled_and_aging_boundaries(config: Path) -> None:
    billing = build(config, "billing")
    # unbilled: 5 h x 150 + 3 h x 160 (the 06-20 entry is after as_of, the 4 h not billable);
    # realisation 6,250 invoiced / 4,230; collected 3,000 / 6,250; Gamma 1,200 / 3,000 in Mar..May
    assert {k: v[0] for k, v in table(billing, "Key figures").items()} == {
        "Unbilled work": "1230.00",
        "Unbilled hours": "8",
        "Realisation": "147.75",
        "Collection rate": "48.00",
        "Accounts receivable": "3250.00",
        "Largest client's share": "40.00",
    }
    aging = table(billing, "Receivables by age")
    # days past due on 2026-06-15: RC-4 0, RC-11 paid after as_of; RC-5 30; RC-6 31, RC-7 60;
    # RC-8 61, RC-9 90; RC-10 91. RC-3 was paid late but before as_of: not receivable.
    assert {k: v[:2] for k, v in aging.items()} == {
        "Current": ["350.00", "RC-4, RC-11"],
        "1-30": ["200.00", "RC-5"],
        "31-60": ["700.00", "RC-6, RC-7"],
        "61-90": ["1200.00", "RC-8, RC-9"],
        "90+": ["800.00", "RC-10"],
    }


def test_deferred_revenue(config: Path) -> None:
    accounting = build(config, "accounting")
    moved = rows_of(
        accounting,
        "Income booked before its service month (move to Customer Deposits at that month's close)",
    )
    # KT-5 (600, service July) and KT-3 (500, service May) booked in April; KT-7 (400) in June
    # for a service on 06-20, after as_of: a liability today.
    assert [r[:3] for r in moved] == [
        ["Kite Tours", "2026-04", "1100.00"],
        ["Kite Tours", "2026-06", "400.00"],
    ]
    outstanding = rows_of(accounting, "Still a liability today (service after the as-of date)")
    assert [r[:4] for r in outstanding] == [
        ["Kite Tours", "2026-04-02", "600.00", "KT-5"],
        ["Kite Tours", "2026-06-03", "400.00", "KT-7"],
    ]
    assert {"ledgers/kite.csv:10", "ledgers/kite.csv:12", "ledgers/kite.csv:18"} <= cites(
        accounting
    )
    # KT-7's $400 is for later the same month: booked before its service, not its service month
    summary = " ".join(b["text"] for b in accounting["summary"])
    assert "$1K is for services after today" in summary
    assert "In all, $1.5K was booked as income before its service." in summary


def test_delivery_operations(config: Path) -> None:
    figures = table(build(config, "operations"), "Key figures")
    # BP-2..BP-4 start in Mar..May (BP-5 in June does not); BP-4 runs past May: 2 of its days count
    assert {k: v[0] for k, v in figures.items()} == {
        "Trips": 3,
        "Nautical miles": "550",
        "Revenue per trip": "1700.00",
        "Margin per trip": "1266.67",
        "Revenue per nautical mile": "9.27",
        "Margin per nautical mile": "6.91",
        "Utilisation": "6.52",
    }


def test_failed_assertion_blocks_send_and_records_why(tmp_path: Path) -> None:
    config = portfolio(
        tmp_path,
        {
            "ledgers/ridge.csv": (
                "2026-05-31,Assets:Bank,3000.00",
                "2026-05-31,Assets:Bank,3100.00",
            ),
            "portfolio.toml": (
                "[analysis.operations]",
                '[delivery]\ntransport = "outbox"\nsender = "r@a.example"\noperator = "o@a.example"\n'
                'outbox = "outbox"\n\n[reports.cfo]\nto = ["cfo@a.example"]\n\n[analysis.operations]',
            ),
        },
    )
    cfo = build(config, "cfo")
    assert cfo["reconciled"] is False
    assert "$3,100" in cfo["warnings"][0]["text"] and "$3,000" in cfo["warnings"][0]["text"]
    runner = CliRunner()
    sent = runner.invoke(cli, ["send", "-c", str(config), "--report", "cfo", "--json"])
    assert sent.exit_code == 1
    assert "Assets:Bank on 2026-05-31" in sent.stdout and "blocked" in sent.stdout
    assert not list((tmp_path / "outbox").glob("*cfo*"))
    allowed = runner.invoke(
        cli, ["send", "-c", str(config), "--report", "cfo", "--allow-unreconciled"]
    )
    assert allowed.exit_code == 0, allowed.output
    assert list((tmp_path / "outbox").glob("*cfo*"))
