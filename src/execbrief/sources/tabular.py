"""The read loop shared by the sources whose files are tables of records (bookings, timesheets,
invoices, trips): one row becomes one record, or one counted row error.

A source describes its columns (``files.Column`` with aliases), a ``RowMapper`` that turns one row
(canonical column name -> cell text) into a record plus the date that places it in time, and calls
:func:`read_table`. Files are CSV (streamed by ``files.CsvTable``) or, where the source allows it,
JSON Lines (one object per line, keys matched to columns like CSV headers). Everything else —
missing paths, binary files, invalid UTF-8, misspelt columns, bad cells — comes back as
``SourceError`` records; one bad file never stops the others.
"""

from __future__ import annotations

import csv
import difflib
import functools
import json
from collections.abc import Callable, Iterator, Mapping, Sequence, Set
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any, ClassVar, Literal, cast

from pydantic import Field, field_validator

from execbrief.config import Model
from execbrief.snapshot import ColumnMapping, Provenance, Record, SourceResult
from execbrief.sources import cells, layouts
from execbrief.sources.base import SourceRequest
from execbrief.sources.files import (
    Column,
    CsvTable,
    DateRange,
    Location,
    ReadError,
    RowErrors,
    expand,
    finish,
    iter_lines,
    normalize_header,
    provenance,
    unread_columns,
)
from execbrief.values import Money

#: Turns one row into ``(record, date)``; raises ``ValueError`` with a short message for a bad row.
#: The date may be a tuple of the row's dates (a booking's created day and the day its export
#: posted it): each counts in the source's date range and freshness.
RowMapper = Callable[
    [Mapping[str, str], Provenance], tuple[Record, date | tuple[date | None, ...] | None]
]

JSONL_SUFFIXES = (".jsonl", ".ndjson")


class TableOptions(Model):
    """Options every table source takes, in the entity's inline table in portfolio.toml.

    ``columns`` maps a canonical column name to the header as written in the file
    (``columns = { created = "Booked At" }``); ``date_format`` is a ``strptime`` format for every
    date column (ISO ``YYYY-MM-DD`` when unset), or a table of formats by canonical column
    (``date_format = { created = "%m/%d/%Y %H:%M:%S", service_date = "%m/%d/%Y" }``; a column not
    named reads ISO dates); a time of day after a date is accepted whatever the format.
    ``currency`` is the currency of the amounts (the portfolio's when unset); ``delimiter`` forces
    the CSV delimiter (sniffed from the header when unset); ``layout`` names a known export layout
    (``sources.layouts``; recognised from the header when unset).
    """

    known_columns: ClassVar[tuple[str, ...]] = ()
    #: The source kind whose layouts ``layout`` may name (``sources.layouts``).
    source_kind: ClassVar[str] = ""

    columns: dict[str, str] = Field(default_factory=dict)
    layout: str | None = None
    date_format: str | dict[str, str] | None = None
    currency: str | None = Field(default=None, pattern=r"^[A-Z]{3}$")
    delimiter: str | None = Field(default=None, min_length=1, max_length=1)

    @field_validator("columns")
    @classmethod
    def _columns(cls, value: dict[str, str]) -> dict[str, str]:
        return check_columns(value, cls.known_columns)

    @field_validator("date_format")
    @classmethod
    def _format(cls, value: str | dict[str, str] | None) -> str | dict[str, str] | None:
        if isinstance(value, dict):
            check_columns(value, cls.known_columns)
            return {name: str(cells.check_date_format(fmt)) for name, fmt in value.items()}
        return cells.check_date_format(value)

    @field_validator("layout")
    @classmethod
    def _layout(cls, value: str | None) -> str | None:
        return layouts.check(value, cls.source_kind) if cls.source_kind else value

    def reading_notes(self, fields: Set[str], ignored: Sequence[str]) -> Sequence[str]:
        """What the way a file was read changes in its figures (shown beside the mapping)."""
        return ()

    def format_for(self, column: str) -> str | None:
        """The ``strptime`` format of one date column (None: ISO dates)."""
        if isinstance(self.date_format, dict):
            return self.date_format.get(column)
        return self.date_format

    def any_format(self) -> str | None:
        """A date format this table uses (to tell a data line from a header line)."""
        if isinstance(self.date_format, dict):
            return next(iter(self.date_format.values()), None)
        return self.date_format


class RowIdOptions(TableOptions):
    """Options of a table whose rows carry an id (bookings, trips). ``id = "row"`` makes the row's
    line number its id, for an export that has no id column (a Google Forms sheet)."""

    id: Literal["row"] | None = None


def id_columns(columns: Sequence[Column], options: RowIdOptions) -> tuple[Column, ...]:
    """``columns`` as read under ``options``: with ``id = "row"`` there is no id column to find."""
    if options.id != "row":
        return tuple(columns)
    return tuple(c for c in columns if c.name != "id")


class UniqueIds:
    """The ids seen so far in one source's files: a repeat is a row error naming both lines."""

    def __init__(self, what: str) -> None:
        self.what = what
        self.first: dict[str, Provenance] = {}

    def take(self, row: Mapping[str, str], where: Provenance, options: RowIdOptions) -> str:
        """The row's id (its line with ``id = "row"``); ValueError when empty or seen before."""
        if options.id == "row":
            return f"row {where.line}"
        ident = row.get("id", "").strip()
        if not ident:
            raise ValueError(f"empty {self.what} id")
        seen = self.first.setdefault(ident, where)
        if seen is not where:
            at = f"line {seen.line}" if seen.source == where.source else seen.cite()
            raise ValueError(
                f"duplicate {self.what} id {ident[:40]!r}: {at} has it too, and this is line "
                f"{where.line}; expected one row per {self.what} (give each its own id, or set "
                'id = "row" when the export has no id column)'
            )
        return ident


def check_columns(mapping: dict[str, str], known: Sequence[str]) -> dict[str, str]:
    """A column mapping whose keys are all canonical names (when ``known`` is given)."""
    for name in mapping:
        if known and name not in known:
            near = difflib.get_close_matches(name, known, n=1)
            hint = f"did you mean {near[0]!r}? " if near else ""
            raise ValueError(
                f"unknown column {name!r}; {hint}the keys are the canonical names: {', '.join(known)}"
            )
    return mapping


def currency(request: SourceRequest, options: TableOptions) -> str:
    """The currency of a table's amounts: the option, else the portfolio's."""
    return options.currency or request.currency


@functools.lru_cache(maxsize=1 << 14)  # prices and rates repeat row after row
def money(text: str, code: str, *, what: str, negative_ok: bool = False) -> Money:
    """A cell read as Money (``1,250.00``, ``$1,250``, ``(80.00)``); ValueError if unreadable.
    Kept per text, as dates are (``cells.parse_date``): a table's rows of one amount hold one
    Money, sent and kept once a result."""
    amount = cells.parse_amount(text, what=what)
    if amount < 0 and not negative_ok:
        raise ValueError(f"negative {what} {text.strip()[:40]!r}; expected zero or more")
    return Money(amount, code)


def optional_money(text: str, code: str, *, what: str) -> Money | None:
    """Money, or None for an empty cell."""
    return money(text, code, what=what) if text.strip() else None


def optional_date(text: str, fmt: str | None, *, what: str) -> date | None:
    """A date, or None for an empty cell."""
    return cells.parse_date(text, fmt, what=what) if text.strip() else None


def decimal(text: str, *, what: str) -> Decimal:
    """A plain non-negative number (``12``, ``3.5``, ``1,200``)."""
    value = cells.parse_amount(text, what=what)
    if value < 0:
        raise ValueError(f"negative {what} {text.strip()[:40]!r}; expected zero or more")
    return value


#: Makes the row mapper for a file read under the given options (a layout's, merged).
MapperFactory = Callable[["TableOptions"], RowMapper]
#: The columns a source reads under the given options.
ColumnsFor = Callable[["TableOptions"], Sequence[Column]]


def read_table(
    request: SourceRequest,
    kind: str,
    columns: Sequence[Column] | ColumnsFor,
    mapper: RowMapper | MapperFactory,
    options: TableOptions,
    *,
    jsonl: bool = False,
    factory: bool = False,
) -> SourceResult:
    """Read every configured file of one source into records; never raises for bad input.

    A CSV file whose header matches a known layout (``sources.layouts``, or the one the config
    names) is read with that layout's options under the config's; with ``factory=True``,
    ``columns`` and ``mapper`` are called with each file's options. Each CSV file's column
    mapping goes in the result's ``mappings``.
    """
    suffixes = (".csv", ".tsv", *(JSONL_SUFFIXES if jsonl else ()))
    locations, errors = expand(request, suffixes=suffixes)
    records: list[Record] = []
    mappings: list[ColumnMapping] = []
    span = DateRange(request.as_of)
    for loc in locations:
        bad = RowErrors(loc)
        try:
            where = provenance(loc)
            layout = file_layout(loc, kind, options)
            opts = layouts.with_layout(options, layout)
            wanted = columns(opts) if callable(columns) else columns
            map_row = cast(RowMapper, mapper(opts) if factory else mapper)  # type: ignore[call-arg]
            if jsonl and loc.suffix in JSONL_SUFFIXES:
                rows = _jsonl_rows(loc, wanted, opts.columns, bad)
            else:
                table = open_table(loc, wanted, opts.columns, opts.delimiter, opts.any_format())
                mappings.append(mapping_of(table, opts, layout))
                rows = table.rows(bad)
            # a row the layout cannot read right (a Square refund line) is a row error
            refuse = layout.refuse if layout is not None and layout.refused else None
            for line, row in rows:
                if layout is not None and layout.skips(row):
                    continue  # the export's totals row, or a row of another kind
                try:
                    if refuse is not None:
                        refuse(row)
                    record, day = map_row(row, where.at_line(line))
                except ValueError as exc:
                    bad.add(line, str(exc))
                    continue
                records.append(record)
                for each in day if isinstance(day, tuple) else (day,):
                    span.add(each)
        except ReadError as exc:
            errors.append(exc.to_error(request, kind))
        errors.extend(bad.errors(request, kind))
    result = finish(request, kind, locations, records, errors, span)
    return replace(result, mappings=tuple(mappings))


def file_layout(loc: Location, kind: str, options: Any) -> layouts.Layout | None:
    """The layout a file is read with: the one the config names, else the one its header
    matches, else None."""
    named = getattr(options, "layout", None)
    if named:
        return layouts.named(named)
    return layouts.sniff(loc, kind, getattr(options, "delimiter", None))


def mapping_of(
    table: CsvTable,
    options: Any,
    layout: layouts.Layout | None,
    notes: Sequence[str] = (),
) -> ColumnMapping:
    """Which header of ``table`` went to which field, which were ignored, and the layout."""
    used = set(table.index.values())
    fields = [(name, table.header[i]) for name, i in table.index.items()]
    if getattr(options, "id", None) == "row":
        fields.insert(0, ("id", "(row number)"))
    configured = tuple(name for name in getattr(options, "columns", {}) if name in table.index)
    ignored = tuple(h for i, h in enumerate(table.header) if h.strip() and i not in used)
    reading = getattr(options, "reading_notes", None)
    found = {name for name, _ in fields}
    extra = tuple(reading(found, ignored)) if callable(reading) else ()
    return ColumnMapping(
        source=table.loc.display,
        header_line=table.header_line,
        fields=tuple(fields),
        ignored=ignored,
        layout=layout.key if layout else None,
        configured=configured,
        notes=(*(layout.notes if layout else ()), *extra, *notes),
    )


def open_table(
    loc: Location,
    columns: Sequence[Column],
    mapping: Mapping[str, str],
    delimiter: str | None,
    date_format: str | None = None,
) -> CsvTable:
    """``files.CsvTable``, except that a file whose first line is data rather than a header gets
    an error saying so, without quoting that line (it may hold a customer's name or address)."""
    try:
        return CsvTable(loc, columns, mapping=mapping, delimiter=delimiter)
    except ReadError as exc:
        headed = exc.line is not None and "(found: " in exc.message
        if headed and _looks_like_data(loc, exc.line or 1, delimiter, date_format):
            wanted = ", ".join(c.name for c in columns if c.required)
            raise ReadError(
                loc.display,
                f"has no header line (line {exc.line} looks like data); expected a header naming "
                f"the columns, at least {wanted}",
                exc.line,
            ) from None
        if exc.message.startswith("has no 'id' column"):
            raise ReadError(
                loc.display,
                exc.message + '; an export with no id column can use id = "row" (the line '
                "number becomes the id)",
                exc.line,
            ) from None
        raise


def _looks_like_data(
    loc: Location, line: int, delimiter: str | None, date_format: str | None
) -> bool:
    """True when the cells of ``line`` hold a date, an amount or an email address."""
    for number, text in iter_lines(loc):
        if number < line:
            continue
        try:
            found = [
                cell.strip()
                for row in csv.reader([text], delimiter=delimiter or _guess_delimiter(text))
                for cell in row
            ]
        except csv.Error:
            return False
        for value in found:
            if "@" in value:
                return True
            for parse in (lambda v: cells.parse_date(v, date_format), cells.parse_amount):
                try:
                    parse(value)
                except ValueError:
                    continue
                return True
        return False
    return False


def _guess_delimiter(text: str) -> str:
    counts = {d: text.count(d) for d in (",", ";", "\t", "|")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


#: One decoder for every line (``json.loads`` with an option builds one a call: a third of the
#: time of 500,000 one-character lines).
_JSON = json.JSONDecoder(parse_float=Decimal)


def _jsonl_rows(
    loc: Location, columns: Sequence[Column], mapping: Mapping[str, str], bad: RowErrors
) -> Iterator[tuple[int, dict[str, str]]]:
    """JSON Lines as rows: each object's keys matched to columns, values read as cell text."""
    known = {column.name for column in columns}
    for canonical in mapping:
        if canonical not in known:
            raise ReadError(
                loc.display,
                f"the column mapping names {canonical!r}, which this source does not read; "
                f"expected one of {', '.join(sorted(known))}",
            )
    unread = unread_columns(loc, mapping, columns)
    keys = {
        column.name: []
        if column.name in unread
        else [normalize_header(mapping[column.name])]
        if column.name in mapping
        else column.header_keys()
        for column in columns
    }
    seen_any = False
    # a line of invalid UTF-8 or past 1 MB is a row error, the lines after it read
    for line, text in iter_lines(loc, bad_line=bad.add_dropped):
        if not text.strip():
            continue
        seen_any = True
        try:
            data = _JSON.decode(text)
        except ValueError as exc:
            bad.add(line, f"not valid JSON ({_json_reason(exc)})")
            continue
        except RecursionError:  # [[[[... 100,000 deep: the parser's stack, not the run's
            bad.add(line, "nested too deeply to read; expected one flat JSON object")
            continue
        if not isinstance(data, dict):
            bad.add(line, f"expected a JSON object, found {type(data).__name__}")
            continue
        found = {normalize_header(str(key)): value for key, value in data.items()}
        row: dict[str, str] = {}
        problem = None
        for name, candidates in keys.items():
            for key in candidates:
                if key in found:
                    value = found[key]
                    if isinstance(value, dict | list):
                        problem = (
                            f"field {name!r} is a JSON {type(value).__name__}; expected a value"
                        )
                    row[name] = _cell(value)
                    break
        missing = [c.name for c in columns if c.required and c.name not in row]
        if missing:
            problem = f"no {', '.join(repr(m) for m in missing)} field"
        if problem:
            bad.add(line, problem)
            continue
        yield line, row
    if not seen_any:
        raise ReadError(loc.display, "is empty; expected one JSON object per line", 1)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dict | list):
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")  # 1.25E+3 -> 1250
    return str(value).strip()


def _json_reason(exc: ValueError) -> str:
    if isinstance(exc, json.JSONDecodeError):
        return f"{exc.msg} at column {exc.colno}"
    return "unreadable"
