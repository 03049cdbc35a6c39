"""An outside tester's rental (issue 14, audit of 2026-12-02): Dune Cottage reads an Airbnb
Transaction history export as its ledger and as its bookings (layout ``airbnb-reservations``),
beside a Bank of America statement download. The files are theirs (tests/data/audit14/rental/),
run through the real CLI; the figures below were worked by hand (as of 2026-11-20).

The Airbnb file: three Payout rows (611.10 on 10/03, 766.30 on 10/10, 911.80 on 10/24), each with
its Reservation row dated the same day: HMA1B2C3D4 booked 08/20, 10/02-10/05, 3 nights, gross
630.00; HME5F6G7H8 booked 09/15, 10/09-10/13, 4 nights, 790.00; HMJ9K0L1M2 booked 10/01,
10/23-10/28, 5 nights, 940.00 (service fees 18.90 + 23.70 + 28.20 = 70.80). Bank of America:
opening 5,200.00, the three AIRBNB credits (the payouts), cleaning 3 x 85, electricity 142.35,
mortgage 1,450.00, interest earned 0.42; closing 5,642.27.

- Channel: every stay is an Airbnb booking: 3 bookings, $2,360, 100% of the entity's bookings, so
  Dune Cottage is on an OTA (no "is on no OTA" finding in the CEO, CMO or CFO report).
- Forecast: each Reservation row is dated its payout's day (10/03, 10/10, 10/24), all before
  as_of, so all three are paid: nothing is due; week 1 of the 13 weeks takes in $0 and closes at
  the bank's $5,642.27. The pace of new bookings stays, at what Airbnb pays out (its Amount, the
  gross earnings less the host service fee): 766.30 + 911.80 made in the 13 weeks before as_of
  ÷ 13 = $129.08 a week (at gross, 790 + 940, it read $133.08), arriving the median lead time
  (24 days: 43, 24, 22) -> 3 weeks later, from week 4 ($5,771.35).
  As of 2026-10-20 HMJ9K0L1M2 is not paid out yet (its row is dated 10/24): its payout, $911.80
  (940.00 gross less the 28.20 service fee; the forecast read $940), is expected the day after
  check-in, 2026-10-24, and is not at risk.
- Funnel: each stay has ended (check-outs 10/05, 10/13, 10/28): three completed, one a month
  created (2026-08, 2026-09, 2026-10), Complete % 100%.
- Freshness: the file's latest date is 10/24 (its transaction Date), 27 days before as_of, not
  its latest Booking date 10/01 (50 days): no stale warning. As of 2026-12-20 both sources are
  stale (bookings 57 days, ledger 50 days: BofA's 10/31): read, out of date, never "missing".
- Rental income: 630 + 790 + 940 = $2,360.00 (the bank's 0.42 interest is other income);
  collection rate 2,360 ÷ 2,360 = 100%; operating expenses 255 + 142.35 + 70.80 = 468.15; NOI
  2,360 - 468.15 = $1,891.85 a month, $22,702.20 a year; cash flow after the 1,450 mortgage
  $441.85.
"""

from __future__ import annotations

import json
import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from execbrief.analysis.forecast.rules import Horizon, booking_balances
from execbrief.cli import cli
from execbrief.config import load_config
from execbrief.plugins import get_registry
from execbrief.records.bookings import Booking, BookingStatus
from execbrief.sources.base import SourceRequest
from execbrief.sources.bookings import BookingsSource

DATA = Path(__file__).parent.parent / "data" / "audit14" / "rental"
AIRBNB = "dune/airbnb/airbnb_10_2026-10_2026.csv"


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("audit14") / "rental"
    shutil.copytree(DATA, out)
    return out


_BUILT: dict[tuple[str, str], str] = {}


def build(root: Path, report: str, as_of: str = "2026-11-20") -> str:
    """The text report with its lines joined (wrapping is layout, not content)."""
    key = (report, as_of)
    if key not in _BUILT:
        args = ["build", "-c", str(root / "portfolio.toml"), "--report", report, "--jobs", "1"]
        result = CliRunner().invoke(cli, [*args, "--as-of", as_of])
        assert result.exit_code == 0, result.output
        _BUILT[key] = " ".join(result.output.split())
    return _BUILT[key]


def test_item1_airbnb_bookings_are_on_airbnb_so_no_missing_ota_finding(root: Path) -> None:
    for report in ("ceo", "cmo", "cfo"):
        assert "is on no OTA" not in build(root, report), report
    cmo = build(root, "cmo")
    assert "Dune Cottage Airbnb 3 100% $2,360 100%" in cmo
    assert "Entity Airbnb ------------ ------ Dune Cottage yes" in cmo


def test_item2_paid_out_stays_are_no_inflow_and_not_at_risk(root: Path) -> None:
    cfo = build(root, "cfo")
    assert "Inflows at risk" not in cfo
    assert "HMJ9K0L1M2 balance" not in cfo
    dune = cfo.split("Dune Cottage: 13-week cash forecast", 1)[1].strip()
    assert dune.startswith(
        "Week Ends In Out Close ---- ---------- ------- --- --------- "
        "1 2026-11-27 $0 $0 $5,642.27 2 2026-12-04 $0 $0 $5,642.27 "
        "3 2026-12-11 $0 $0 $5,642.27 4 2026-12-18 $129.08 $0 $5,771.35"
    )


def test_item2_a_stay_not_yet_paid_out_is_expected_the_day_after_check_in(root: Path) -> None:
    cfo = build(root, "cfo", as_of="2026-10-20")
    # Airbnb pays out the Amount, net of its host fee (940.00 gross - 28.20 service fee)
    assert (
        "Date 2026-10-24 Kind booking balance Line HMJ9K0L1M2 balance, service 2026-10-23 "
        "Amount $911.80"
    ) in cfo
    assert "at their payouts net of the host fee" in cfo
    assert "Inflows at risk" not in cfo


def _bookings(root: Path, as_of: date) -> list[Booking]:
    config = load_config(root / "portfolio.toml", get_registry().option_models())
    entity = config.entity("dune-cottage")
    request = SourceRequest(entity, entity.sources["bookings"], root, as_of, fingerprint_key=b"k")
    result = BookingsSource().collect(request)
    return [r for r in result.records if isinstance(r, Booking)]


def test_item2_a_payout_that_does_not_come_is_at_risk(root: Path) -> None:
    """Read as of 10/20 (HMJ9K0L1M2 unpaid, due 10/24), the forecast of 10/25 finds its payout
    day passed with no payout posted: at risk, on the first day; its stay has not ended yet."""
    unpaid = {b.id: b for b in _bookings(root, date(2026, 10, 20))}["HMJ9K0L1M2"]
    assert (unpaid.status, unpaid.paid, unpaid.balance_due) == (
        BookingStatus.BOOKED,
        False,
        date(2026, 10, 24),
    )
    as_of = date(2026, 10, 25)
    [line] = booking_balances("dune-cottage", [unpaid], Horizon(as_of, as_of + timedelta(91)))
    assert (line.day, str(line.amount.amount), line.at_risk) == (
        date(2026, 10, 26),
        "911.80",
        "unpaid since service on 2026-10-23",
    )


def test_item3_stays_that_have_ended_are_completed(root: Path) -> None:
    found = _bookings(root, date(2026, 11, 20))
    assert [(b.id, b.status, b.paid, b.channel) for b in found] == [
        ("HMA1B2C3D4", BookingStatus.COMPLETED, True, "airbnb"),
        ("HME5F6G7H8", BookingStatus.COMPLETED, True, "airbnb"),
        ("HMJ9K0L1M2", BookingStatus.COMPLETED, True, "airbnb"),
    ]
    cmo = build(root, "cmo")
    month = (
        "Inquiries 1 Quoted 1 Booked 1 Completed 1 Cancelled 0 Quote % 100% Book % 100% "
        "Complete % 100%"
    )
    for created in ("2026-08", "2026-09", "2026-10"):
        assert f"{created} [" in cmo and month in cmo.split(f"{created} [", 1)[1][:120], created
    assert "Completed 0" not in cmo.split("funnel by month created", 1)[1].split("2026-11")[0]


def test_item4_freshness_is_the_latest_transaction_date(root: Path) -> None:
    result = CliRunner().invoke(cli, ["collect", "-c", str(root / "portfolio.toml"), "--json"])
    assert result.exit_code == 0, result.output
    results = json.loads(result.output)["results"]
    [bookings] = [r for r in results if r["kind"] == "bookings"]
    fresh = bookings["freshness"]
    assert (fresh["newest_record"], fresh["age_days"], fresh["stale"]) == ("2026-10-24", 27, False)
    # the range still starts at the first booking date
    assert (bookings["first_date"], bookings["last_date"]) == ("2026-08-20", "2026-10-24")
    for report in ("ceo", "rental", "cfo", "cmo"):
        text = build(root, report)
        assert "days old" not in text and "source problem" not in text, report


def test_item4_a_stale_source_is_out_of_date_not_missing(root: Path) -> None:
    rental = build(root, "rental", as_of="2026-12-20")
    assert (
        "Stale sources: dune-cottage bookings is 57 days old, dune-cottage ledger is 50 days "
        "old; figures from them may be out of date." in rental
    )
    ceo = build(root, "ceo", as_of="2026-12-20")
    assert (
        "2 source problems: see the warnings above; figures from the stale sources are used "
        "but may be out of date." in ceo
    )
    assert "missing." not in ceo and "or missing" not in rental


def test_item5_interest_is_not_rental_income(root: Path) -> None:
    rental = build(root, "rental")
    assert "Collection rate 100% [" in rental and "100.02%" not in rental
    assert "NOI (annualised) $22,702.20" in rental
    assert "Rental income collected [2] 2026-10..2026-10 (1 months) $2,360 " in rental
    assert (
        "Other income (interest; not rent, left out of NOI) [4] 2026-10..2026-10 (1 months) $0.42"
        in (rental)
    )
    assert "Net operating income 2026-10..2026-10 (1 months) $1,891.85" in rental
    assert "Cash flow before tax 2026-10..2026-10 (1 months) $441.85" in rental
    # the P&L is not the rental unit: revenue there keeps the interest
    assert "2026-10 $2,360.42" in rental
