"""Acceptance (issue 14, outsider audit 14b of 2026-12-02): a three-business portfolio built from
docs/ alone by someone who never saw the code, from exports laid out as the tools write them
(tests/data/audit14b/, the tester's files and portfolio.toml as they left them; the shapes are
the tools' own: a headerless Wells Fargo download, Amex with additional details, PayPal's
41-column activity download, Square's transactions, FareHarbor's bookings report with its title
and totals rows, Klaviyo's profiles, an OFX 1.02 QFX, Airbnb's transaction history, Xero's
Account Transactions, Harvest's and Clockify's detailed reports). As of 2026-12-01 (November).

Worked by hand:
- Cash. Ledgerline (Xero): opening 6,000 + 3,000 + 500 - 800 - 49 - 800 - 49 = $7,802 (the
  closing balance row agrees). Pine Cottage: the QFX LEDGERBAL $4,128.50 on 11/30. Tidewater:
  Wells Fargo 8,000 (opening_balance, 9/30) + in 300 + 101.70 + 640 + 300 + 980 + 1,250 =
  3,571.70 - out 95 + 60 + 188.20 + 1,200 + 95 + 410.55 + 1,200 + 320 = 3,568.75 -> 8,002.95,
  plus PayPal's held balance 36.32 = $8,039.27; the Amex charges are card spend, not cash (the
  bank's AMEX EPAYMENT lines are the cash). Portfolio 7,802 + 4,128.50 + 8,039.27 = $19,969.77.
- P&L by month (portfolio): 2026-10 revenue $6,796.49, expenses $3,163.63; 2026-11 revenue
  $5,531.32, expenses $3,745.05. Tidewater's own net burn: Oct -204.45, Nov 201.50: the
  2-month average (-204.45 + 201.50) / 2 = -1.475 -> -$1.48/mo, on its row as in the portfolio
  (September holds only the opening balance and is no month of burn).
- Bookings: FareHarbor 6 rows (the title and totals rows skipped), #103 cancelled, so 5 booked
  or completed (1 through Viator, 20%); their Total Paid 250 + 500 + 375 + 100 + 200 = $1,175 of
  deposits. Airbnb: 2 stays, 9 nights, $2,793.81: ADR 2,793.81 / 9 = $310.42; occupancy 9 nights
  of the window's 61 = 14.75%.
- Time: billable 36 + 9.5 (Harvest) + 5.75 (Clockify) = 51.25 h, non-billable 3.75 h; Harvest's
  unbilled 9.5 h = $1,550 at its rates; Clockify's 5.75 h ($690) has no invoice column, so its
  status is unknown.
- Receivables (Xero's Accounts Receivable section, no invoices source): INV-0001 Acme Co 3,000
  (line 18) paid 20 Oct (19); INV-0002 Birch Ltd 2,400 (line 20) unpaid, due 4 Nov + 30 days =
  4 Dec: Current on 12-01; $2,400 receivable, all Birch's, the section's Closing Balance (22).
- Birch Ltd's unbilled Harvest lines are 8 and 10 (Cedar Partners' is 9): cited :8 and :10.
- Subscribers (Klaviyo): 6 profiles, 3 with Email Marketing Consent SUBSCRIBED (SMS consent is
  not email consent).
- Reconciliation: the bookings' $1,175 of deposits cannot be checked against a bank export (its
  bare "DEPOSIT" line is a counter deposit, not a booking's): a warning, not NOT RECONCILED.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from execbrief.cli import cli

DATA = Path(__file__).resolve().parents[1] / "data" / "audit14b"
REPORTS = ("cfo", "billing", "rental", "cmo", "accounting")


def _run(*args: str) -> Any:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    root = tmp_path_factory.mktemp("audit14b") / "portfolio"
    shutil.copytree(DATA, root)
    config = str(root / "portfolio.toml")
    out = {}
    for report in REPORTS:
        done = _run("build", "-c", config, "--no-cache", "--jobs", "1", "--report", report)
        assert done.exit_code == 0, done.stdout[-400:]
        out[report] = " ".join(done.stdout.split())
    return out


def test_cash_per_business_and_the_portfolio(built: dict[str, str]) -> None:
    cfo = built["cfo"]
    cites = r"(?: \[[\d,–…\]\[]+\])?"
    assert re.search(rf"Ledgerline Consulting{cites} Cash \$7,802 ", cfo)
    assert re.search(rf"Pine Cottage{cites} Cash \$4,128.50 ", cfo)
    assert re.search(rf"Tidewater Kayaks{cites} Cash \$8,039.27 ", cfo)  # card charges: no cash
    assert "Reyes Holdings Cash $19,969.77" in cfo


def test_income_and_spend_by_month(built: dict[str, str]) -> None:
    cfo = built["cfo"]
    assert "2026-10 $6,796.49 $3,163.63 $3,632.86" in cfo
    assert "2026-11 $5,531.32 $3,745.05 $1,786.27" in cfo


def test_the_burn_average_agrees_between_the_entity_and_the_portfolio(
    built: dict[str, str],
) -> None:
    cfo = built["cfo"]
    assert "Net burn (average) -$1.48/mo" in cfo
    assert "-$0.98" not in cfo
    assert "Gross burn (3 mo) $1,543.20–2,025.55/mo" in cfo  # no $0 September
    assert "Net burn, 2-month average -$1,466.73/mo" in cfo


def test_bookings_nights_adr_and_occupancy(built: dict[str, str]) -> None:
    cmo, rental = built["cmo"], built["rental"]
    assert "Pine Cottage Airbnb 2 100% $2,793.81 100%" in cmo
    assert "Tidewater Kayaks Viator 1 20% $375 18.8%" in cmo
    assert "Average daily rate [1] Value $310.42" in rental
    assert "Occupancy 14.75%" in rental


def test_billable_hours_and_unbilled_work(built: dict[str, str]) -> None:
    billing = built["billing"]
    assert "Billable time logged Hours 51.25" in billing
    assert "Non-billable time Hours 3.75" in billing
    assert "Ledgerline Consulting has $1,550 of unbilled work" in billing
    assert "Hours 5.75 Value at standard rates $690" in billing
    assert "unbilled value unknown (the export has no invoice column)" in billing


def test_subscribers_count_email_consent_only(built: dict[str, str]) -> None:
    assert "3 opted-in subscribers" in built["cmo"]


def test_reconciliation_is_a_warning_not_a_block(built: dict[str, str]) -> None:
    accounting, cfo = built["accounting"], built["cfo"]
    for text in (accounting, cfo):
        assert "NOT RECONCILED" not in text and "do not reconcile" not in text.lower()
        assert (
            "Tidewater Kayaks: bookings took $1,175 in deposits from 2026-09-30 to 2026-12-01, "
            "but the ledger has no deposit account" in text
        )
    # PayPal's first Balance and the QFX's LEDGERBAL are starting points, not checks
    assert "Tidewater Kayaks: 5 balance assertions against the ledger" in accounting
    assert "Pine Cottage: the ledger starts from its statement balance" in accounting


def test_fareharbor_past_bookings_are_completed_and_the_unpaid_one_at_risk(
    built: dict[str, str],
) -> None:
    # #101, #102, #104 paid in full (Total Paid = Total) and served: completed, nothing due;
    # #105 served 11/15 with $150 due: completed but its balance unpaid and at risk; #106 is on
    # 12/06, still booked
    cfo, cmo = built["cfo"], built["cmo"]
    assert "Inflows at risk: Tidewater Kayaks 105 balance $150 (unpaid since service on " in cfo
    assert "101 balance" not in cfo and "104 balance" not in cfo
    tide = cmo[cmo.index("Tidewater Kayaks: funnel by month created") :]
    assert "2026-10 [9] Inquiries 3 Quoted 3 Booked 2 Completed 2 Cancelled 1" in tide
    assert "2026-11 [10] Inquiries 2 Quoted 2 Booked 2 Completed 1 Cancelled 0" in tide


def test_each_method_note_names_only_the_files_its_report_read(built: dict[str, str]) -> None:
    # audit14b finding 14: Billing's "How the exports were read" listed Pine Cottage's and
    # Tidewater's bookings files; the rental report listed the charter's FareHarbor file
    billing, rental = built["billing"], built["rental"]
    assert "How the exports were read: ledgerline-consulting timesheets" in billing
    assert "bookings" not in billing[billing.index("How the exports were read") :][:400]
    note = rental[rental.index("How the exports were read") :][:600]
    assert "pine-cottage/airbnb/airbnb_11_2026-10_2026.csv (layout airbnb-reservations)" in note
    assert "fareharbor" not in note


def test_the_card_paid_by_the_bank_is_said(built: dict[str, str]) -> None:
    # audit14b finding 17: the bank's AMEX EPAYMENT lines (410.55 on 10/25, 188.20 on 11/20)
    # paid the card: 598.75 of transfers, not spending on top of the card's charges
    assert (
        "Tidewater Kayaks: 2 card payments ($598.75) from the bank matched to the card's own "
        "payment lines, so the card's charges are counted once" in built["accounting"]
    )


def test_the_revenue_bullet_cites_every_income_line(built: dict[str, str]) -> None:
    # audit14b finding 9: "revenue $11.9K" cited 4 of the window's income lines (Xero's line 25
    # only, Wells Fargo's October credits only); now each file once with all its income rows:
    # Xero's 3 Sales lines, Airbnb's 2 stays, Wells Fargo's 4 credits that are income (the PayPal
    # and Square transfers are not), PayPal's 4 and Square's 3 sales
    cfo = built["cfo"]
    assert re.search(r"net \$5.4K\. \[\d+–\d+\]", cfo)
    for cited in (
        "ledgerline-consulting/xero/Account Transactions.csv:25-27 (3 rows)",
        "pine-cottage/airbnb/airbnb_11_2026-10_2026.csv:3-5 (2 rows)",
        "tidewater-kayaks/bank/Checking1.csv:4-14 (4 rows)",
        "tidewater-kayaks/paypal/Download.CSV:2-6 (4 rows)",
    ):
        assert cited in cfo


def test_xero_receivables_are_the_receivables(built: dict[str, str]) -> None:
    billing = built["billing"]
    assert "receivables unknown (no invoices source)" not in billing
    assert "Accounts receivable $2,400" in billing
    assert "Current $2,400 INV-0002" in billing
    assert "Receivables by customer Customer Owed --------- ------ Birch Ltd $2,400" in billing
    assert "Invoices issued $5,400, paid $3,000." in billing
    assert "the export has no Contact column, so each customer is named from its Description" in (
        billing.replace("Note: The", "Note: the")
    )


def test_a_client_row_cites_only_its_own_harvest_lines(built: dict[str, str]) -> None:
    billing = built["billing"]
    harvest = "ledgerline-consulting/harvest/harvest_time_report_from2026-10-01to2026-11-30.csv"
    sources = billing[billing.rindex("SOURCES") :].replace(" ", "")  # wrapped notes rejoined
    notes = dict(re.findall(r"\[(\d+)\]([^\[]+)", sources))
    birch = re.search(r"Birch Ltd 2026-11 2 7 \$1,050 ((?:\[\d+\])+)", billing)
    assert birch is not None
    cited = {notes[n] for n in re.findall(r"\d+", birch.group(1))}
    assert cited == {f"{harvest}:8", f"{harvest}:10"}
