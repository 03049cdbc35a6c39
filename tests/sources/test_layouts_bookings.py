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

from execbrief.analysis.operations import analyze
from execbrief.config import Entity, SourceSpec, load_config
from execbrief.plugins import get_registry
from execbrief.records.bookings import Booking, BookingStatus
from execbrief.snapshot import SourceResult
from execbrief.sources.base import SourceRequest
from execbrief.sources.bookings import BookingsOptions, BookingsSource
from execbrief.sources.ledger import LedgerSource
from kits.ledger import config, snapshot
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
        ("#290981542", date(2026, 10, 1), date(2026, 10, 18), BookingStatus.COMPLETED,
         Decimal("735.00"), Decimal("735.00"), 1),
        ("#290981777", date(2026, 10, 3), date(2026, 10, 25), BookingStatus.COMPLETED,
         Decimal("630.00"), Decimal("200.00"), 1),
        ("#290982010", date(2026, 10, 5), date(2026, 10, 12), BookingStatus.CANCELLED,
         Decimal("0.00"), Decimal("0.00"), 1),
    ]  # fmt: skip
    assert found[1].channel == "viator"
    # audit14b finding 12: the service dates have passed (as of 2026-11-20): completed; Total
    # Paid = Total (Amount Due $0.00) is paid in full, #290981777's Amount Due $430 is still owed
    # from its service date; a cancelled booking is not "paid"
    assert [(b.paid, b.balance_due) for b in found] == [
        (True, None),
        (False, date(2026, 10, 25)),
        (False, None),
    ]
    assert dict(mapping.fields)["amount_due"] == "Amount Due"


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
    # each stay ended before as_of and was paid out (its row is dated on its payout's day)
    assert all(b.status == BookingStatus.COMPLETED for b in stays)
    assert all(b.paid and b.balance_due is None and b.channel == "airbnb" for b in stays)


def test_airbnb_bookings_are_recognised_from_the_header(tmp_path: Path) -> None:
    result = collect(tmp_path, "airbnb-transaction-history.csv", "rental")
    assert messages(result) == []
    assert result.mappings[0].layout == "airbnb-reservations"
    assert len([r for r in result.records if isinstance(r, Booking)]) == 3


def test_airbnb_file_feeds_the_rental_unit_from_ledger_and_bookings(tmp_path: Path) -> None:
    """The same Airbnb file as the rental's ledger (beside the bank that receives its payouts)
    and as its bookings: October's ADR 1,830.00 / 10 nights = 183.00; occupancy 10 / 31 nights
    = 32.26%; income 1,810.00 from Airbnb (the bank's AIRBNB credits are its payouts) + the bank's
    SQUARE and PAYPAL credits 1,043.68 (their exports are not listed here) = 2,853.68; operating
    expenses 600.00 dockage + 54.90 service fees = 654.90."""

    name, bank = "airbnb-transaction-history.csv", "chase-checking-processors.csv"
    for file in (name, bank):
        shutil.copy(FIXTURES / file, tmp_path / file)
    (tmp_path / "portfolio.toml").write_text(
        '[portfolio]\nname = "T"\nas_of = 2026-10-31\n\n[[entities]]\nid = "loft"\n'
        'name = "Loft"\nkind = "rental"\nbookings = "airbnb-transaction-history.csv"\n\n'
        f'[[entities.ledger]]\npath = "{bank}"\ndefault_accounts = {{ money_in = "Income:Other", '
        'money_out = "Expenses:Operating" }\n\n'
        f'[[entities.ledger]]\npath = "{name}"\n'
    )
    loaded = load_config(tmp_path / "portfolio.toml", get_registry().option_models())
    entity = loaded.entities[0]
    records = []
    for kind, source in (("ledger", LedgerSource()), ("bookings", BookingsSource())):
        request = SourceRequest(
            entity=entity, spec=entity.sources[kind], root=tmp_path,
            as_of=date(2026, 10, 31), fingerprint_key=b"k",
        )  # fmt: skip
        result = source.collect(request)
        assert messages(result) == []
        records.extend(result.records)
    entities = [("loft", "rental")]
    cfg = config(entities, analysis={"operations": {"window_months": 1}})
    (unit,) = analyze(snapshot(entities, records, as_of="2026-10-31"), cfg).rentals
    assert unit.window == ("2026-10",) and unit.days == 31
    assert unit.occupied_nights == 10 and unit.rate.source == "bookings"
    assert unit.rate.value is not None and unit.rate.value.quantize().amount == Decimal("183.00")
    assert unit.occupancy is not None and unit.occupancy.value.quantize(Decimal("0.01")) == Decimal(
        "32.26"
    )
    assert (unit.income.amount, unit.operating_expenses.amount) == (
        Decimal("2853.68"),
        Decimal("654.90"),
    )
