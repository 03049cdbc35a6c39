"""The trips source: aliases (nm, miles), defaults, bad rows, the demo's dozen deliveries."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from execbrief.records.trips import Trip
from execbrief.sources.trips import TripsOptions, TripsSource
from execbrief.values import Money
from kits.ops import EXAMPLES, make_request, messages, one_error, write


def trips(root: Path, path: str, **options: object) -> tuple[list[Trip], object]:
    result = TripsSource().collect(make_request(root, "trips", path, TripsOptions(**options)))
    return [r for r in result.records if isinstance(r, Trip)], result


def test_trip_log_with_aliases_and_defaults(tmp_path: Path) -> None:
    write(
        tmp_path,
        "t.csv",
        "Trip,Departure,Arrival,From,To,nm,Fee,Expenses\n"
        'T-1,2026-10-01,2026-10-03,Annapolis MD,Newport RI,360,"2,130.00",846\n'
        "T-2,2026-10-05,,Norfolk VA,Beaufort NC,190.5,1407.50,\n"
        "T-3,2026-10-09,2026-10-08,A,B,10,100,0\n"
        "T-4,2026-10-10,2026-10-11,A,B,ten,100,0\n",
    )
    records, result = trips(tmp_path, "t.csv")
    one, two = records
    assert (one.id, one.start, one.end, one.origin, one.destination) == (
        "T-1",
        date(2026, 10, 1),
        date(2026, 10, 3),
        "Annapolis MD",
        "Newport RI",
    )
    assert (
        one.nautical_miles == Decimal("360")
        and one.fee == Money(Decimal("2130.00"))
        and one.expenses == Money(846)
    )
    assert two.end == two.start == date(2026, 10, 5)  # no end date: a same-day trip
    assert two.nautical_miles == Decimal("190.5") and two.expenses == Money(0)
    assert [t.provenance.line for t in records] == [2, 3]
    error = one_error(result)
    assert error.rows_skipped == 2
    assert "line 4: end date 2026-10-08 is before the start date 2026-10-09" in error.message
    assert "line 5: bad nautical miles 'ten'" in error.message
    assert result.freshness.newest_record == date(2026, 10, 5)  # type: ignore[attr-defined]


def test_miles_alias_and_currency_option(tmp_path: Path) -> None:
    write(
        tmp_path,
        "t.csv",
        "id,start,end,origin,destination,miles,fee\nX,2026-01-02,2026-01-04,A,B,100,500\n",
    )
    records, _ = trips(tmp_path, "t.csv", currency="EUR")
    assert records[0].nautical_miles == Decimal("100") and records[0].fee == Money(500, "EUR")


def test_missing_required_column_is_named(tmp_path: Path) -> None:
    write(tmp_path, "t.csv", "id,start,origin,destination,fee\nX,2026-01-02,A,B,5\n")
    _, result = trips(tmp_path, "t.csv")
    error = one_error(result)
    assert error.fatal and "has no 'nautical_miles' column" in error.message


def test_demo_blue_passage_has_a_dozen_deliveries() -> None:
    records, result = trips(EXAMPLES, "trips/blue-passage.csv")
    assert messages(result) == []  # type: ignore[arg-type]
    assert len(records) == 12
    assert records[0].id == "BP-001" and records[0].nautical_miles == Decimal("360")
    assert records[0].fee == Money(Decimal("2130.00"))  # 360 nm x 4.25 + 600
    assert all(t.fee > t.expenses for t in records)
    assert min(t.start for t in records) >= date(2025, 10, 1)
