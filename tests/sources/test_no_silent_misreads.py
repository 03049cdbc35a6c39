"""Issue 14, item 3: exports that used to be misread without a word are read right or refused."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from pydantic import ValidationError

from execbrief.analysis.operations import OperationsOptions, billing_gap
from execbrief.config import Entity, SourceSpec
from execbrief.records import channels
from execbrief.records.bookings import Booking
from execbrief.records.timesheets import TimeEntry
from execbrief.snapshot import EntityInfo, Snapshot
from execbrief.sources.base import SourceRequest
from execbrief.sources.bookings import BookingsOptions, BookingsSource
from execbrief.sources.cells import parse_date
from execbrief.sources.timesheets import TimesheetOptions, TimesheetsSource
from execbrief.sources.trips import TripsOptions, TripsSource
from execbrief.values import Money
from kits.ops import AS_OF, messages, write


def request(root: Path, kind: str, path: str, options: object, entity_kind: str) -> SourceRequest:
    return SourceRequest(
        entity=Entity(id="acme", name="Acme", kind=entity_kind),
        spec=SourceSpec(kind, (path,), options, f"entities[0].{kind}"),  # type: ignore[arg-type]
        root=root,
        as_of=AS_OF,
        fingerprint_key=b"k",
    )


# A Google Forms response sheet: "Timestamp" with a time, a date question without one, no id column.
FORM = (
    "Timestamp,Name,Charter date,Party size,How did you hear about us?,Status,Total,State\n"
    "11/3/2025 11:05:35,Ann Lee,12/5/2025,6,Friend,Booked,772,ME\n"
    "11/4/2025 9:14:02,Bo Chan,12/6/2025,4,Google,Inquiry,,NH\n"
    "11/5/2025 18:40:11,Cy Dorn,12/7/2025,2,Word of mouth,Completed,700,MA\n"
)


def form_bookings(tmp_path: Path, kind: str = "charter", **options: object) -> tuple[list, list]:
    write(tmp_path, "form.csv", FORM)
    opts = BookingsOptions(
        id="row",
        date_format={"created": "%m/%d/%Y %H:%M:%S", "service_date": "%m/%d/%Y"},
        **options,  # type: ignore[arg-type]
    )
    result = BookingsSource().collect(request(tmp_path, "bookings", "form.csv", opts, kind))
    return [r for r in result.records if isinstance(r, Booking)], messages(result)


def test_a_google_form_reads_with_row_ids_per_column_formats_and_no_headcount_units(
    tmp_path: Path,
) -> None:
    found, errors = form_bookings(tmp_path)
    assert errors == []
    assert [b.id for b in found] == ["row 2", "row 3", "row 4"]
    assert [b.created for b in found] == [date(2025, 11, 3), date(2025, 11, 4), date(2025, 11, 5)]
    assert [b.service_date for b in found] == [
        date(2025, 12, 5),
        date(2025, 12, 6),
        date(2025, 12, 7),
    ]
    assert [b.units for b in found] == [1, 1, 1]  # a charter is the unit, not its party size
    assert [b.channel for b in found] == ["referral", "google_business", "referral"]
    assert found[0].amount == Money(772)


def test_party_size_is_units_only_when_the_config_says_so(tmp_path: Path) -> None:
    found, errors = form_bookings(tmp_path, columns={"units": "Party size"})
    assert errors == [] and [b.units for b in found] == [6, 4, 2]


def test_a_state_column_is_not_a_status(tmp_path: Path) -> None:
    write(tmp_path, "b.csv", "id,created,State\nB1,2026-10-01,ME\n")
    result = BookingsSource().collect(
        request(tmp_path, "bookings", "b.csv", BookingsOptions(), "charter")
    )
    assert result.records == ()
    assert "has no 'status' column" in messages(result)[0]


def test_duplicate_ids_are_row_errors_naming_both_lines(tmp_path: Path) -> None:
    write(
        tmp_path,
        "b.csv",
        "id,created,status\nB1,2026-10-01,booked\nB2,2026-10-02,booked\nB1,2026-10-03,booked\n",
    )
    result = BookingsSource().collect(
        request(tmp_path, "bookings", "b.csv", BookingsOptions(), "charter")
    )
    assert [r.id for r in result.records] == ["B1", "B2"]  # type: ignore[attr-defined]
    assert messages(result) == [
        "b.csv:4: 1 row skipped: line 4: duplicate booking id 'B1': line 2 has it too, and this "
        'is line 4; expected one row per booking (give each its own id, or set id = "row" when '
        "the export has no id column)"
    ]


def test_no_id_column_suggests_id_row(tmp_path: Path) -> None:
    write(tmp_path, "t.csv", "start,origin,destination,nm,fee\n2026-10-01,A,B,10,100\n")
    result = TripsSource().collect(request(tmp_path, "trips", "t.csv", TripsOptions(), "delivery"))
    assert 'id = "row"' in messages(result)[0]
    rows = TripsSource().collect(
        request(tmp_path, "trips", "t.csv", TripsOptions(id="row"), "delivery")
    )
    assert messages(rows) == [] and [t.id for t in rows.records] == ["row 2"]  # type: ignore[attr-defined]


def test_a_trailing_time_is_read_after_any_date_format() -> None:
    assert parse_date("11/3/2025 11:05:35", "%m/%d/%Y") == date(2025, 11, 3)
    assert parse_date("11/3/2025 3:05 PM", "%m/%d/%Y") == date(2025, 11, 3)
    assert parse_date("12/5/2025", "%m/%d/%Y %H:%M:%S") == date(2025, 12, 5)
    assert parse_date("03.11.2025 11:05", "%d.%m.%Y") == date(2025, 11, 3)
    with pytest.raises(ValueError, match="expected a date like 11/20/2026"):
        parse_date("13/3/2025 10:00", "%m/%d/%Y")


def test_a_date_format_table_names_canonical_columns_only() -> None:
    with pytest.raises(ValidationError, match="unknown column 'booked'"):
        BookingsOptions(date_format={"booked": "%m/%d/%Y"})
    with pytest.raises(ValidationError, match="cannot read back"):
        BookingsOptions(date_format={"created": "%m/%Y"})


# A Toggl Track "Detailed" time entries export (no rate and no invoice column).
TOGGL = (
    "User,Email,Client,Project,Task,Description,Billable,Start date,Start time,End date,"
    "End time,Duration,Tags,Amount (USD)\n"
    "Ann,ann@x.example,Pelican,Site,,Audit,Yes,2026-10-01,09:00:00,2026-10-01,11:00:00,"
    "02:00:00,,300.00\n"
    "Ann,ann@x.example,Pelican,Site,,Fixes,Yes,2026-10-02,09:00:00,2026-10-02,10:30:00,"
    "01:30:00,,225.00\n"
    "Bo,bo@x.example,Heron,Ops,,Call,No,2026-10-03,09:00:00,2026-10-03,10:00:00,01:00:00,,0.00\n"
)


def test_a_toggl_export_derives_the_rate_and_leaves_unbilled_unknown(tmp_path: Path) -> None:
    write(tmp_path, "toggl.csv", TOGGL)
    result = TimesheetsSource().collect(
        request(tmp_path, "timesheets", "toggl.csv", TimesheetOptions(), "consultancy")
    )
    entries = [r for r in result.records if isinstance(r, TimeEntry)]
    assert messages(result) == []
    assert [(e.hours, e.rate, e.rate_derived) for e in entries[:2]] == [
        (Decimal("2.00"), Money(Decimal("150.00")), True),
        (Decimal("1.50"), Money(Decimal("150.00")), True),
    ]
    assert not any(e.invoice_known for e in entries)
    snap = Snapshot("p", "USD", AS_OF, (EntityInfo("acme", "Acme", "consultancy"),), (result,))
    gap = billing_gap(snap, snap.entities[0], OperationsOptions())
    assert gap is not None
    assert not gap.unbilled_known and gap.invoice_unknown_hours == Decimal("3.50")
    assert gap.unbilled_hours == 0 and gap.billable_value == Money(Decimal("525.00"))


@pytest.mark.parametrize(
    ("answer", "key"),
    [
        ("Friend", "referral"),
        ("A friend told me", "referral"),
        ("Word of mouth", "referral"),
        ("Friends and family", "referral"),
        ("Google", "google_business"),
        ("Google search", "google_business"),
        ("Instagram", "instagram"),
    ],
)
def test_how_did_you_hear_answers_map_to_the_catalogue(answer: str, key: str) -> None:
    found = channels.find(answer, booking=True)
    assert found is not None and found.key == key
