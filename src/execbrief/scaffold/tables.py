"""Telling a table's kind from its header: the column catalogue each table source reads (its
canonical names and aliases) decides which kind a CSV or JSON Lines file is, and which of its
headers fill which column. Nothing here keeps a cell beyond the first rows it looks at."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from execbrief.sources import layouts
from execbrief.sources.bookings import COLUMNS as BOOKING_COLUMNS
from execbrief.sources.files import Column, normalize_header
from execbrief.sources.ledger import COLUMNS as LEDGER_COLUMNS
from execbrief.sources.subscribers import COLUMNS as SUBSCRIBER_COLUMNS
from execbrief.sources.timesheets import INVOICE_COLUMNS, TIME_COLUMNS
from execbrief.sources.trips import COLUMNS as TRIP_COLUMNS

#: How many lines of a file are looked at (a title block above the header included).
SAMPLE_LINES = 200
HEADER_SEARCH = 20

#: A Cost and Usage Report's own columns (AWS CUR legacy CSV: ``lineItem/UnblendedCost`` ...).
CUR_MARKERS = ("lineitemunblendedcost", "lineitemusagestartdate")


@dataclass(frozen=True)
class TableKind:
    """A table source: its config key, its columns and which must all be present to call a file
    one of its kind (a tuple inside ``require`` is "one of these")."""

    key: str
    columns: tuple[Column, ...]
    require: tuple[str | tuple[str, ...], ...]


#: Most specific first: a trip log also has a date and an amount, so it is tried before a ledger.
KINDS = (
    TableKind("subscribers", SUBSCRIBER_COLUMNS, ("email",)),
    TableKind(
        "trips", TRIP_COLUMNS, ("id", "start", "origin", "destination", "nautical_miles", "fee")
    ),
    TableKind("timesheets", TIME_COLUMNS, ("date", "client", "hours")),
    TableKind("invoices", INVOICE_COLUMNS, ("number", "client", "issued", "amount")),
    TableKind("bookings", BOOKING_COLUMNS, ("id", "created", "status")),
    TableKind("ledger", LEDGER_COLUMNS, ("date", "account", ("amount", "debit", "credit"))),
    TableKind("ledger", LEDGER_COLUMNS, ("date", ("amount", "debit", "credit"))),
)


@dataclass(frozen=True)
class ProcessorLayout:
    """A payment processor's export whose headers the ledger's aliases do not cover: how to tell
    it (normalised headers it always has), which of its headers fill which column (candidates by
    normalised name, the first present wins) and how its categories are typed."""

    name: str
    markers: tuple[str, ...]
    columns: dict[str, tuple[str, ...]]
    account_types: dict[str, str]


#: Stripe's balance exports, as its dashboard writes them: the itemized Balance report
#: (``balance_transaction_id, created_utc, ..., gross, fee, net, reporting_category``) and the
#: older balance-history download (``id, Type, Source, Amount, Fee, Net, Currency, Created (UTC),
#: Available On (UTC), Description``); docs.stripe.com/reports/balance. ``net`` is signed as
#: the balance moves (a payout or refund negative), so the ledger reads it with ``sign = "bank"``;
#: a payout is money moved to the bank (an asset), not an expense.
PROCESSORS = (
    ProcessorLayout(
        "Stripe balance export",
        ("createdutc", "net", "fee"),
        {
            "date": ("createdutc",),
            "amount": ("net",),
            "account": ("reportingcategory", "type"),
            "reference": ("balancetransactionid", "id"),
        },
        {
            "charge": "income",
            "payment": "income",
            "refund": "income",
            "dispute": "income",
            "fee": "expense",
            "stripe_fee": "expense",
            "adjustment": "expense",
            "payout": "asset",
            "transfer": "asset",
        },
    ),
)


@dataclass
class Table:
    """A file read as a table: its header line (1-based), headers and first rows."""

    header_line: int
    headers: list[str]
    rows: list[dict[str, str]] = field(default_factory=list)

    def keys(self) -> set[str]:
        """The normalised headers."""
        return {normalize_header(h) for h in self.headers}


@dataclass
class Recognised:
    """What a table was taken for: its kind, which header fills each column, and extra columns
    a processor layout needs written into the config."""

    kind: str
    table: Table
    mapping: dict[str, str]
    #: Headers the source's aliases do not cover, to be written as ``columns`` in the config.
    columns: dict[str, str] = field(default_factory=dict)
    layout: ProcessorLayout | None = None


def sample_table(text: str, jsonl: bool = False) -> list[list[str]] | list[dict[str, str]]:
    """The first lines of a file as CSV rows (delimiter sniffed), or JSON Lines objects."""
    lines = text.splitlines()[:SAMPLE_LINES]
    if jsonl:
        objects: list[dict[str, str]] = []
        for line in lines:
            try:
                item = json.loads(line)
            except ValueError:
                continue
            if isinstance(item, dict):
                objects.append({str(k): "" if v is None else str(v) for k, v in item.items()})
        return objects
    sample = "\n".join(lines)
    counts = {d: sample.count(d) for d in (",", ";", "\t", "|")}
    delimiter = max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","
    return [row for row in csv.reader(io.StringIO(sample), delimiter=delimiter)]


def _find(columns: Sequence[Column], headers: Sequence[str]) -> dict[str, str]:
    """Which header fills each column (the first header matching a column's name or alias)."""
    keys = [normalize_header(h) for h in headers]
    found: dict[str, str] = {}
    for column in columns:
        for candidate in column.header_keys():
            if candidate in keys and column.name not in found:
                header = headers[keys.index(candidate)]
                if header not in found.values():
                    found[column.name] = header
    return found


def missing_columns(
    kind: str, headers: Sequence[str], layout: layouts.Layout | None = None
) -> list[str]:
    """The required columns of the table source ``kind`` that ``headers`` (and a layout's
    column mapping and row-number id) do not fill."""
    table = next(k for k in KINDS if k.key == kind) if any(k.key == kind for k in KINDS) else None
    if table is None:
        return []
    mapping = _find(table.columns, headers)
    if layout is not None:
        mapped = dict(layout.options.get("columns", {}))
        mapping.update({k: v for k, v in mapped.items() if v in headers})
        if layout.options.get("id") == "row":
            mapping["id"] = "(row number)"
    return [
        need if isinstance(need, str) else " or ".join(need)
        for need in table.require
        if not _satisfies(mapping, (need,))
    ]


def _satisfies(mapping: dict[str, str], require: tuple[str | tuple[str, ...], ...]) -> bool:
    return all(
        any(r in mapping for r in need) if isinstance(need, tuple) else need in mapping
        for need in require
    )


def recognise_rows(rows: list[list[str]] | list[dict[str, str]]) -> Recognised | None:
    """The kind of a sampled table, or None when no header among its first lines is one."""
    if rows and isinstance(rows[0], dict):
        headers = list(rows[0])
        table = Table(1, headers, [r for r in rows if isinstance(r, dict)])
        return _recognise(table)
    for index, row in enumerate(rows[:HEADER_SEARCH]):
        if not isinstance(row, list) or len([c for c in row if c.strip()]) < 2:
            continue
        headers = [c.strip() for c in row]
        data = [
            dict(zip(headers, r, strict=False)) for r in rows[index + 1 :] if isinstance(r, list)
        ]
        found = _recognise(Table(index + 1, headers, data))
        if found:
            return found
    return None


def _recognise(table: Table) -> Recognised | None:
    keys = table.keys()
    if all(marker in keys for marker in CUR_MARKERS):
        return Recognised("aws", table, {})
    for layout in PROCESSORS:
        if all(marker in keys for marker in layout.markers):
            by_key = {normalize_header(h): h for h in reversed(table.headers)}
            columns = {
                name: next(by_key[c] for c in candidates if c in by_key)
                for name, candidates in layout.columns.items()
                if any(c in by_key for c in candidates)
            }
            taken = set(columns.values())
            found = _find(LEDGER_COLUMNS, [h for h in table.headers if h not in taken])
            mapping = {**{k: v for k, v in found.items() if k not in columns}, **columns}
            return Recognised("ledger", table, mapping, columns, layout)
    best: Recognised | None = None
    for kind in KINDS:
        mapping = _find(kind.columns, table.headers)
        columns = _near(kind, mapping, table.headers)
        mapping = {**mapping, **columns}
        if _satisfies(mapping, kind.require) and (best is None or len(mapping) > len(best.mapping)):
            best = Recognised(kind.key, table, mapping, columns)
    return best


def _near(kind: TableKind, mapping: dict[str, str], headers: Sequence[str]) -> dict[str, str]:
    """Required single columns no alias matched, filled by a header that holds the column's name
    (``Posted Date`` for ``date``): these are written into ``columns`` and shown as guesses."""
    out: dict[str, str] = {}
    for need in kind.require:
        if isinstance(need, tuple) or need in mapping:
            continue
        taken = set(mapping.values()) | set(out.values())
        near = [h for h in headers if need in normalize_header(h) and h not in taken]
        if len(near) == 1:
            out[need] = near[0]
    return out


_ISO = re.compile(r"^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}")
_NUMERIC = re.compile(r"^(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})$")
_DAY_NAME = re.compile(r"^\d{1,2} [A-Za-z]{3} \d{4}$")


@dataclass(frozen=True)
class DateGuess:
    """The ``date_format`` a column's dates need (None for ISO) and whether it was a guess."""

    fmt: str | None
    certain: bool = True
    why: str = ""


def guess_date_format(cells: Sequence[str]) -> DateGuess:
    """The date format of a column's cells: ISO needs none; ``dd/mm`` and ``mm/dd`` are told
    apart by a part above 12, and are a marked guess (month first) when no cell tells."""
    values = [c.strip() for c in cells if c.strip()]
    if not values or all(_ISO.match(v) for v in values):
        return DateGuess(None)
    if all(_DAY_NAME.match(v) for v in values):
        return DateGuess("%d %b %Y")
    parts = [m.groups() for v in values if (m := _NUMERIC.match(v))]
    if not parts:
        return DateGuess(None, False, f"dates like {values[0][:20]!r} were not recognised")
    sep, year = parts[0][1], "%Y" if len(parts[0][3]) == 4 else "%y"
    if any(int(p[0]) > 12 for p in parts):
        return DateGuess(f"%d{sep}%m{sep}{year}")
    month_first = f"%m{sep}%d{sep}{year}"
    if any(int(p[2]) > 12 for p in parts):
        return DateGuess(month_first)
    return DateGuess(month_first, False, "no day above 12 in the first rows tells day from month")
