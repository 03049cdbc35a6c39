"""Square's Items export (Item Sales Detail, ``items-<from>-<to>.csv``) read as bookings: sales and
units by item, beside the ledger's Square Transactions export (which carries the money, fees and
deposits), so nothing is counted twice.

Fixture tests/data/layouts/square-items.csv is laid out as Square writes the export in 2026: the
35 columns of the public export zoetankersley/sunrise_social_club
data/raw/items-2026-07-18-2026-07-19.csv in its order, ISO dates beside a separate Time and Time
Zone, ``Qty`` as ``1.0``, money as ``$45.00``, a discount negative (``-$2.20``, as in the Square
items samples public parsers test with), empty cells quoted (``""``) where Square quotes them,
one row per item line (a transaction of two lines has two rows with one Transaction ID), and a
refund line with Event Type ``Refund``, ``Qty`` and money negative.

Worked by hand: the Payment lines (lines 2, 3, 4, 5, 7) are 5 completed sales of
2 + 1 + 1 + 1 + 1 = 6 units for Net Sales 90.00 + 25.00 + 19.80 + 45.00 + 45.00 = 224.80 (before
tax); the refund (line 6, -45.00) is one row error, not netted. For a charter entity each line
is one unit (Qty counts seats): 5 units.
"""

from __future__ import annotations

import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

from execbrief.config import Entity, SourceSpec
from execbrief.records.bookings import Booking, BookingStatus
from execbrief.snapshot import SourceResult
from execbrief.sources import layouts
from execbrief.sources.base import SourceRequest
from execbrief.sources.bookings import BookingsOptions, BookingsSource, whole_units
from kits.ops import messages

FIXTURES = Path(__file__).resolve().parents[1] / "data" / "layouts"
NAME = "square-items.csv"


def collect(tmp_path: Path, kind: str = "other", text: str | None = None) -> SourceResult:
    if text is None:
        shutil.copy(FIXTURES / NAME, tmp_path / NAME)
    else:
        (tmp_path / NAME).write_text(text)
    request = SourceRequest(
        entity=Entity(id="acme", name="Acme", kind=kind),
        spec=SourceSpec("bookings", (NAME,), BookingsOptions(), "entities[0].bookings"),
        root=tmp_path,
        as_of=date(2026, 11, 20),
        fingerprint_key=b"k",
    )
    return BookingsSource().collect(request)


def bookings(result: SourceResult) -> list[Booking]:
    return [r for r in result.records if isinstance(r, Booking)]


def test_item_lines_are_sales_with_units_and_net_sales(tmp_path: Path) -> None:
    result = collect(tmp_path)
    mapping = result.mappings[0]
    assert mapping.layout == "square-items"
    fields = dict(mapping.fields)
    assert (fields["units"], fields["amount"], fields["status"]) == (
        "Qty",
        "Net Sales",
        "Event Type",
    )
    found = bookings(result)
    assert [(b.id, b.created, b.status, b.units, b.amount and b.amount.amount) for b in found] == [
        ("row 2", date(2026, 10, 12), BookingStatus.COMPLETED, 2, Decimal("90.00")),
        ("row 3", date(2026, 10, 12), BookingStatus.COMPLETED, 1, Decimal("25.00")),
        ("row 4", date(2026, 10, 12), BookingStatus.COMPLETED, 1, Decimal("19.80")),
        ("row 5", date(2026, 10, 11), BookingStatus.COMPLETED, 1, Decimal("45.00")),
        ("row 7", date(2026, 10, 9), BookingStatus.COMPLETED, 1, Decimal("45.00")),
    ]
    assert sum(b.units for b in found) == 6
    assert sum((b.amount.amount for b in found if b.amount), Decimal(0)) == Decimal("224.80")
    assert [b.provenance.line for b in found] == [2, 3, 4, 5, 7]
    # the customer is kept as a keyed ref only
    assert found[2].customer_ref is not None and found[2].customer_name is None


def test_squares_channel_the_locations_name_is_not_read_as_the_channel(tmp_path: Path) -> None:
    # Square's Channel is "Harbor Charters" (the location) on every in-person line: read as the
    # channel it made a channel "harbor charters" of every sale in the channel breakdown.
    result = collect(tmp_path)
    assert {b.channel for b in bookings(result)} == {"unknown"}
    mapping = result.mappings[0]
    assert "channel" not in dict(mapping.fields) and "Channel" in mapping.ignored


def test_the_config_can_map_squares_channel_back(tmp_path: Path) -> None:
    # docs/formats.md, square-items: an online seller whose Channel is "Square Online" maps it.
    shutil.copy(FIXTURES / NAME, tmp_path / NAME)
    options = BookingsOptions(columns={"channel": "Channel"})
    request = SourceRequest(
        entity=Entity(id="acme", name="Acme", kind="other"),
        spec=SourceSpec("bookings", (NAME,), options, "entities[0].bookings"),
        root=tmp_path,
        as_of=date(2026, 11, 20),
        fingerprint_key=b"k",
    )
    result = BookingsSource().collect(request)
    assert dict(result.mappings[0].fields)["channel"] == "Channel"
    assert {b.channel for b in bookings(result)} == {"harbor charters"}


def test_a_refund_line_is_said_not_netted(tmp_path: Path) -> None:
    said = messages(collect(tmp_path))
    assert len(said) == 1
    assert "line 6" in said[0] and "Square refund line (Event Type Refund)" in said[0]
    assert "counted as sold" in said[0]


def test_for_a_charter_qty_counts_seats_not_charters(tmp_path: Path) -> None:
    """Issue 14: for a charter the charter is the unit; a ticket line's Qty (2 adults) is a
    headcount, so each line is one unit unless the config maps units."""
    result = collect(tmp_path, kind="charter")
    assert [b.units for b in bookings(result)] == [1, 1, 1, 1, 1]
    mapping = result.mappings[0]
    assert "units" not in dict(mapping.fields) and "Qty" in mapping.ignored
    assert any("'Qty' is not read as units" in note for note in mapping.notes)


def test_qty_must_be_a_whole_number(tmp_path: Path) -> None:
    assert (whole_units("2"), whole_units("2.0"), whole_units("3.00")) == (2, 2, 3)
    text = (FIXTURES / NAME).read_text().replace(",Harbor Cap,1.0,", ",Harbor Cap,1.5,")
    said = messages(collect(tmp_path, text=text))
    assert any("line 4" in s and "bad units '1.5'" in s for s in said)


def test_recognised_from_its_header_as_bookings_only() -> None:
    header = (FIXTURES / NAME).read_text().splitlines()[0].split(",")
    assert layouts.recognise("bookings", header) is layouts.named("square-items")
    assert layouts.recognise("ledger", header) is None
