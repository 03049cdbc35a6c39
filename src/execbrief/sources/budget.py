"""The ``budget`` source: an entity's monthly budget, one ``BudgetLine`` per month and account.

Three layouts (docs/formats.md, "Budgets"):

- execbrief's own CSV: one row per month and account, columns ``month`` (``2026-11``),
  ``account`` (or ``category``: a ledger account or its last segment) and ``amount``;
- Xero's budget export (Budget Manager, CSV): the account in the first column written as
  ``Name (code)``, one column per month headed ``Jan-2026``, ``01-2026``, ``21-01-2026`` or
  ``01-21-2026``; blank cells are no budget (help.xero.com, "Import or export your budget");
- QuickBooks Online's "Budget vs. Actuals" report, CSV or Excel (``budget_qbo``): its Budget
  columns only, account rows only (never its Total rows).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any, ClassVar

from execbrief.hookspecs import hookimpl
from execbrief.records.budget import BudgetLine
from execbrief.snapshot import Provenance, SourceResult
from execbrief.sources import budget_qbo, budget_xlsx, tabular
from execbrief.sources.base import BaseSource, Source, SourceRequest
from execbrief.sources.files import (
    Column,
    DateRange,
    Location,
    ReadError,
    RowErrors,
    expand,
    finish,
    provenance,
    read_text,
)
from execbrief.values import Period

COLUMNS = (
    Column("month", ("period", "budget month"), required=True),
    Column("account", ("category", "account name", "line", "budget line"), required=True),
    Column("amount", ("budget", "budget amount", "amount usd", "value"), required=True),
)
#: Month headings of a Xero budget export.
XERO_MONTHS = ("%b-%Y", "%m-%Y", "%d-%m-%Y", "%m-%d-%Y")


class BudgetOptions(tabular.TableOptions):
    """``budget = { path = ..., columns = {...}, currency = ... }``."""

    known_columns: ClassVar[tuple[str, ...]] = tuple(c.name for c in COLUMNS)


def xero_month(text: str) -> Period | None:
    """The month a Xero budget heading names, or None when it is not one."""
    for fmt in XERO_MONTHS:
        try:
            return Period.containing(datetime.strptime(text.strip(), fmt).date())
        except ValueError:
            continue
    return None


def line_from_row(
    row: Mapping[str, str], where: Provenance, request: SourceRequest, options: BudgetOptions
) -> tuple[BudgetLine, date]:
    """One budget line of execbrief's own layout; ValueError says what is wrong."""
    try:
        month = Period.parse(row.get("month", "").strip())
    except ValueError:
        raise ValueError(f"month {row.get('month', '')!r} is not a month like 2026-11") from None
    account = row.get("account", "").strip()
    if not account:
        raise ValueError("empty account")
    code = tabular.currency(request, options)
    amount = tabular.money(row.get("amount", ""), code, what="amount", negative_ok=True)
    line = BudgetLine(request.entity.id, where, month, account, amount)
    return line, month.start


def read_xero(
    text: str, where: Provenance, request: SourceRequest, options: BudgetOptions, bad: RowErrors
) -> list[BudgetLine]:
    """Every filled cell of a Xero budget export: the row's account, the column's month."""
    rows = list(csv.reader(io.StringIO(text)))
    months = [xero_month(cell) for cell in rows[0][1:]]
    code = tabular.currency(request, options)
    out = []
    for number, row in enumerate(rows[1:], start=2):
        if not row or not row[0].strip():
            continue
        account = re.sub(r"\s*\(\w+\)\s*$", "", row[0].strip())  # "Fuel (420)" -> "Fuel"
        for month, cell in zip(months, row[1:], strict=False):
            if month is None or not cell.strip():
                continue
            try:
                amount = tabular.money(cell, code, what=f"{month} amount", negative_ok=True)
            except ValueError as exc:
                bad.add(number, str(exc))
                continue
            at = where.at_line(number)
            out.append(BudgetLine(request.entity.id, at, month, account, amount, "xero"))
    return out


def is_xero(text: str) -> bool:
    """Whether a file's first row is a Xero budget heading: a first cell, then months."""
    first = next(csv.reader(io.StringIO(text)), [])
    return len(first) > 1 and all(xero_month(c) is not None for c in first[1:] if c.strip())


class BudgetSource(BaseSource):
    """Monthly budgets by account: execbrief's CSV, Xero's budget export or QuickBooks Online's
    Budget vs. Actuals report."""

    name: ClassVar[str] = "budget"
    description: ClassVar[str] = (
        "monthly budget by account (CSV, Xero's budget export, or QuickBooks Online's "
        "Budget vs. Actuals report as CSV or Excel)"
    )
    Options: ClassVar[type[BudgetOptions]] = BudgetOptions

    def collect(self, request: SourceRequest) -> SourceResult:
        """Read every configured budget file; bad rows are counted and quoted, never fatal."""
        options = request.spec.options
        opts = options if isinstance(options, BudgetOptions) else BudgetOptions()
        locations, errors = expand(request, suffixes=(".csv", ".xlsx"))
        exported: list[BudgetLine] = []
        exports = 0  # files in a tool's layout (read here, whatever they held)
        for loc in locations:
            bad = RowErrors(loc)
            try:
                found = read_export(loc, request, opts, bad)
            except ReadError as exc:
                errors.append(exc.to_error(request, self.name))
                exports += loc.suffix == ".xlsx"  # a CSV one is read (and reported) as a table
                continue
            errors.extend(bad.errors(request, self.name))
            if found is not None:
                exports += 1
                exported.extend(found)
        if exports:
            span = DateRange(request.as_of)
            for line in exported:
                span.add(line.month.start)
            return finish(request, self.name, locations, exported, errors, span)

        def mapper(row: Mapping[str, str], where: Provenance) -> tuple[Any, date | None]:
            return line_from_row(row, where, request, opts)

        return tabular.read_table(request, self.name, COLUMNS, mapper, opts)


def read_export(
    loc: Location, request: SourceRequest, options: BudgetOptions, bad: RowErrors
) -> list[BudgetLine] | None:
    """A tool's export (QuickBooks Online's Budget vs. Actuals, CSV or Excel; Xero's budget
    export): its lines; None for execbrief's own CSV (``tabular`` reads that)."""
    code = tabular.currency(request, options)
    if loc.suffix == ".xlsx":
        rows = budget_xlsx.rows(loc)
        if not budget_qbo.is_qbo(rows):
            raise ReadError(
                loc.display, "an Excel budget must be QuickBooks Online's Budget vs. Actuals"
            )
        return budget_qbo.read_rows(rows, provenance(loc), request.entity.id, code, bad)
    text = read_text(loc)
    rows = list(csv.reader(io.StringIO(text)))
    if budget_qbo.is_qbo(rows):
        return budget_qbo.read_rows(rows, provenance(loc), request.entity.id, code, bad)
    if is_xero(text):
        return read_xero(text, provenance(loc), request, options, bad)
    return None


@hookimpl
def register_sources() -> list[Source]:
    """The budget source."""
    return [BudgetSource()]
