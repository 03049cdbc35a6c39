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
import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any, ClassVar

from pydantic import Field, field_validator

from execbrief.config import Model
from execbrief.snapshot import Provenance, Record, SourceResult
from execbrief.sources import cells
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
)
from execbrief.values import Money

#: Turns one row into ``(record, date)``; raises ``ValueError`` with a short message for a bad row.
RowMapper = Callable[[Mapping[str, str], Provenance], tuple[Record, date | None]]

JSONL_SUFFIXES = (".jsonl", ".ndjson")


class TableOptions(Model):
    """Options every table source takes, in the entity's inline table in portfolio.toml.

    ``columns`` maps a canonical column name to the header as written in the file
    (``columns = { created = "Booked At" }``); ``date_format`` is a ``strptime`` format for every
    date column (ISO ``YYYY-MM-DD`` when unset); ``currency`` is the currency of the amounts (the
    portfolio's when unset); ``delimiter`` forces the CSV delimiter (sniffed from the header when
    unset).
    """

    known_columns: ClassVar[tuple[str, ...]] = ()

    columns: dict[str, str] = Field(default_factory=dict)
    date_format: str | None = None
    currency: str | None = Field(default=None, pattern=r"^[A-Z]{3}$")
    delimiter: str | None = Field(default=None, min_length=1, max_length=1)

    @field_validator("columns")
    @classmethod
    def _columns(cls, value: dict[str, str]) -> dict[str, str]:
        return check_columns(value, cls.known_columns)

    @field_validator("date_format")
    @classmethod
    def _format(cls, value: str | None) -> str | None:
        return cells.check_date_format(value)


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


def money(text: str, code: str, *, what: str, negative_ok: bool = False) -> Money:
    """A cell read as Money (``1,250.00``, ``$1,250``, ``(80.00)``); ValueError if unreadable."""
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


def read_table(
    request: SourceRequest,
    kind: str,
    columns: Sequence[Column],
    mapper: RowMapper,
    options: TableOptions,
    *,
    jsonl: bool = False,
) -> SourceResult:
    """Read every configured file of one source into records; never raises for bad input."""
    suffixes = (".csv", ".tsv", *(JSONL_SUFFIXES if jsonl else ()))
    locations, errors = expand(request, suffixes=suffixes)
    records: list[Record] = []
    span = DateRange(request.as_of)
    for loc in locations:
        bad = RowErrors(loc)
        try:
            where = provenance(loc)
            if jsonl and loc.suffix in JSONL_SUFFIXES:
                rows = _jsonl_rows(loc, columns, options.columns, bad)
            else:
                table = open_table(
                    loc, columns, options.columns, options.delimiter, options.date_format
                )
                rows = table.rows(bad)
            for line, row in rows:
                try:
                    record, day = mapper(row, where.at_line(line))
                except ValueError as exc:
                    bad.add(line, str(exc))
                    continue
                records.append(record)
                span.add(day)
        except ReadError as exc:
            errors.append(exc.to_error(request, kind))
        errors.extend(bad.errors(request, kind))
    return finish(request, kind, locations, records, errors, span)


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
        if exc.line is None or "(found: " not in exc.message:
            raise
        if not _looks_like_data(loc, exc.line, delimiter, date_format):
            raise
        wanted = ", ".join(c.name for c in columns if c.required)
        raise ReadError(
            loc.display,
            f"has no header line (line {exc.line} looks like data); expected a header naming the "
            f"columns, at least {wanted}",
            exc.line,
        ) from None


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
    keys = {
        column.name: [normalize_header(mapping[column.name])]
        if column.name in mapping
        else column.header_keys()
        for column in columns
    }
    seen_any = False
    for line, text in iter_lines(loc):
        if not text.strip():
            continue
        seen_any = True
        try:
            data = json.loads(text, parse_float=Decimal)
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
