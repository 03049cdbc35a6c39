"""Bookings layouts (issue 14, item 1): a FareHarbor Bookings report and Airbnb's Transaction
history read as bookings with no mapping.

Fixtures (tests/data/layouts/):

- fareharbor-bookings.csv: FareHarbor's Bookings report export with its "Bookings" title row,
  the column names public loaders of that export read (Booking ID as ``#290981542``, Cancelled?,
  Created At Date, Start Date, # of Pax, Total, Total Paid, Amount Due, Paid Status, Affiliate),
  money as ``$1,300.00`` and a last totals row with no Booking ID.
- airbnb-transaction-history.csv: the Airbnb export of test_layouts_payments.py; its Reservation
  rows are the stays (Payout and Adjustment rows are the ledger's).

Figures worked by hand:

FareHarbor  #290981542 booked, 735.00 with 735.00 paid; #290981777 booked (Viator), 630.00 with
            200.00 paid (430.00 due); #290982010 cancelled, 0.00; the totals row is no booking;
            "# of Pax" (6, 4, 2) is a headcount, so each charter is one unit.
Airbnb      3 stays: HMGHI24680 3 nights 750.00 from 10/26, HMABC12345 3 nights 480.00 from 10/12,
            HMDEF67890 4 nights 600.00 from 10/08: 10 nights, 1,830.00, an ADR of 183.00.
"""

from __future__ import annotations

import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

from execbrief.config import Entity, SourceSpec
from execbrief.records.bookings import Booking, BookingStatus
from execbrief.snapshot import SourceResult
from execbrief.sources.base import SourceRequest
from execbrief.sources.bookings import BookingsOptions, BookingsSource
from kits.ops import messages

FIXTURES = Path(__file__).resolve().parents[1] / "data" / "layouts"


def collect(tmp_path: Path, name: str, kind: str) -> SourceResult:
    shutil.copy(FIXTURES / name, tmp_path / name)
    request = SourceRequest(
        entity=Entity(id="acme", name="Acme", kind=kind),
        spec=SourceSpec("bookings", (name,), BookingsOptions(), "entities[0].bookings"),
        root=tmp_path,
        as_of=date(2026, 11, 20),
        fingerprint_key=b"k",
    )
    return BookingsSource().collect(request)


def money(value: object) -> Decimal | None:
    return getattr(value, "amount", None)


def test_fareharbor_title_row_cancelled_flag_paid_and_totals_row(tmp_path: Path) -> None:
    result = collect(tmp_path, "fareharbor-bookings.csv", "charter")
    assert messages(result) == []
    mapping = result.mappings[0]
    assert mapping.layout == "fareharbor"
    assert mapping.header_line == 2  # below the "Bookings" title row
    assert dict(mapping.fields)["deposit"] == "Total Paid"
    assert "# of Pax" in mapping.ignored
    found = [r for r in result.records if isinstance(r, Booking)]
    assert [
        (b.id, b.created, b.service_date, b.status, money(b.amount), money(b.deposit), b.units)
        for b in found
    ] == [
        ("#290981542", date(2026, 10, 1), date(2026, 10, 18), BookingStatus.BOOKED,
         Decimal("735.00"), Decimal("735.00"), 1),
        ("#290981777", date(2026, 10, 3), date(2026, 10, 25), BookingStatus.BOOKED,
         Decimal("630.00"), Decimal("200.00"), 1),
        ("#290982010", date(2026, 10, 5), date(2026, 10, 12), BookingStatus.CANCELLED,
         Decimal("0.00"), Decimal("0.00"), 1),
    ]  # fmt: skip
    assert found[1].channel == "viator"


def test_airbnb_reservations_are_stays_with_nights(tmp_path: Path) -> None:
    name = "airbnb-transaction-history.csv"
    shutil.copy(FIXTURES / name, tmp_path / name)
    request = SourceRequest(
        entity=Entity(id="loft", name="Loft", kind="rental"),
        spec=SourceSpec(
            "bookings", (name,), BookingsOptions(layout="airbnb-reservations"),
            "entities[0].bookings",
        ),
        root=tmp_path,
        as_of=date(2026, 11, 20),
        fingerprint_key=b"k",
    )  # fmt: skip
    result = BookingsSource().collect(request)
    assert messages(result) == []
    assert result.mappings[0].layout == "airbnb-reservations"
    stays = [r for r in result.records if isinstance(r, Booking)]
    assert [(b.id, b.service_date, b.units, money(b.amount)) for b in stays] == [
        ("HMGHI24680", date(2026, 10, 26), 3, Decimal("750.00")),
        ("HMABC12345", date(2026, 10, 12), 3, Decimal("480.00")),
        ("HMDEF67890", date(2026, 10, 8), 4, Decimal("600.00")),
    ]
    nights = sum(b.units for b in stays)
    revenue = sum((money(b.amount) or Decimal(0) for b in stays), Decimal(0))
    assert (nights, revenue, revenue / nights) == (10, Decimal("1830.00"), Decimal("183.00"))
    assert all(b.status == BookingStatus.BOOKED for b in stays)


def test_airbnb_bookings_are_recognised_from_the_header(tmp_path: Path) -> None:
    result = collect(tmp_path, "airbnb-transaction-history.csv", "rental")
    assert messages(result) == []
    assert result.mappings[0].layout == "airbnb-reservations"
    assert len([r for r in result.records if isinstance(r, Booking)]) == 3
