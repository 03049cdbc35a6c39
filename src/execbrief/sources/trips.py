"""The ``trips`` source: delivery trip logs as CSV, one ``Trip`` per row.

Columns: id, start, end, origin, destination, nautical miles (``nm``, ``miles``), fee, expenses.
A missing end date means a same-day trip; missing expenses are zero.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any, ClassVar

from execbrief.hookspecs import hookimpl
from execbrief.records.trips import Trip
from execbrief.snapshot import Provenance, SourceResult
from execbrief.sources import cells, tabular
from execbrief.sources.base import BaseSource, Source, SourceRequest
from execbrief.sources.files import Column
from execbrief.values import Money

COLUMNS = (
    Column(
        "id",
        (
            "trip",
            "trip id",
            "trip #",
            "delivery",
            "delivery id",
            "job",
            "job #",
            "reference",
            "ref",
        ),
        required=True,
    ),
    Column(
        "start",
        ("start date", "departure", "departed", "departure date", "depart", "from date", "date"),
        required=True,
    ),
    Column("end", ("end date", "arrival", "arrived", "arrival date", "arrive", "to date")),
    Column("origin", ("from", "departure port", "start port", "from port"), required=True),
    Column("destination", ("to", "arrival port", "end port", "to port", "dest"), required=True),
    Column(
        "nautical_miles",
        ("nm", "miles", "nautical miles", "distance", "distance nm", "nmi"),
        required=True,
    ),
    Column(
        "fee", ("price", "charge", "revenue", "amount", "fee usd", "invoice amount"), required=True
    ),
    Column("expenses", ("expense", "costs", "cost", "trip expenses", "expenses usd")),
)


class TripsOptions(tabular.RowIdOptions):
    """``trips = { path = ..., columns = {...}, date_format = ..., currency = ..., id = "row" }``."""

    known_columns: ClassVar[tuple[str, ...]] = tuple(c.name for c in COLUMNS)
    source_kind: ClassVar[str] = "trips"


def trip_from_row(
    row: Mapping[str, str],
    where: Provenance,
    request: SourceRequest,
    options: TripsOptions,
    ids: tabular.UniqueIds | None = None,
) -> tuple[Trip, date]:
    """One trip from a row of canonical cells; ValueError says what is wrong."""
    ident = (ids or tabular.UniqueIds("trip")).take(row, where, options)
    fmt = options.format_for
    start = cells.parse_date(row.get("start", ""), fmt("start"), what="start date")
    end = tabular.optional_date(row.get("end", ""), fmt("end"), what="end date") or start
    if end < start:
        raise ValueError(f"end date {end.isoformat()} is before the start date {start.isoformat()}")
    origin = row.get("origin", "").strip()
    destination = row.get("destination", "").strip()
    if not origin or not destination:
        raise ValueError("empty origin or destination")
    code = tabular.currency(request, options)
    expenses = tabular.optional_money(row.get("expenses", ""), code, what="expenses")
    trip = Trip(
        entity=request.entity.id,
        provenance=where,
        id=ident,
        start=start,
        end=end,
        origin=origin,
        destination=destination,
        nautical_miles=tabular.decimal(row.get("nautical_miles", ""), what="nautical miles"),
        fee=tabular.money(row.get("fee", ""), code, what="fee"),
        expenses=expenses if expenses is not None else Money(0, code),
    )
    return trip, end


class TripsSource(BaseSource):
    """Delivery trips: where from and to, how far, what was charged and spent."""

    name: ClassVar[str] = "trips"
    description: ClassVar[str] = "delivery trips (CSV): dates, route, nautical miles, fee, expenses"
    Options: ClassVar[type[TripsOptions]] = TripsOptions

    def collect(self, request: SourceRequest) -> SourceResult:
        """Read every configured trip log; bad rows are counted and quoted, never fatal."""
        options = request.spec.options
        opts = options if isinstance(options, TripsOptions) else TripsOptions()
        ids = tabular.UniqueIds("trip")

        def mapper(file_opts: Any) -> tabular.RowMapper:
            def read(row: Mapping[str, str], where: Provenance) -> tuple[Any, date | None]:
                return trip_from_row(row, where, request, file_opts, ids)

            return read

        def columns(file_opts: Any) -> tuple[Column, ...]:
            return tabular.id_columns(COLUMNS, file_opts)

        return tabular.read_table(request, self.name, columns, mapper, opts, factory=True)


@hookimpl
def register_sources() -> list[Source]:
    """The trips source."""
    return [TripsSource()]
