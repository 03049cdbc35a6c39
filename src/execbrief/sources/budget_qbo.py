"""QuickBooks Online's "Budget vs. Actuals" report, exported to CSV or Excel, read as a budget.

The report as QuickBooks Online writes it (docs/formats.md, "Budgets"): title rows (company name,
``Budget vs. Actuals: <budget> - FY26 P&L``, the date range), a blank row, then the column
headings: with "Display columns by: Month", a row of months (``Jan 2026``, written over the first
of each month's sub-columns) above a row of sub-columns ``Actual``, ``Budget``, ``over Budget`` (or
``Remaining``) and ``% of Budget``, the last group ``Total``; a one-period report has the
sub-column row only and its month in the date range. Rows: section headings with no amounts
(``Income``, ``Expenses``), account rows (sub-accounts indented), ``Total ...`` rows, computed
rows (``Gross Profit``, ``Net Operating Income``, ``Net Income``), then the basis and generation
time (``Accrual Basis Wednesday, June 17, 2026 09:12 AM GMT-04:00``).

Only the ``Budget`` cells of account rows are read, one ``BudgetLine`` per account and month:
actuals come from the books, and Total and computed rows are sums of account rows (counting them
would count the budget twice). A blank budget cell is no budget; ``Total`` columns are skipped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime

from execbrief.records.budget import BudgetLine
from execbrief.snapshot import Provenance
from execbrief.sources import tabular
from execbrief.sources.files import RowErrors
from execbrief.values import Period

#: The layout name a BudgetLine read from this report carries.
LAYOUT = "quickbooks-online"
#: Rows QuickBooks computes from the account rows: never a budget of their own.
COMPUTED = re.compile(
    r"^(total\b.*|gross profit|net operating income|net other income|net income|net revenue)$",
    re.IGNORECASE,
)
MONTH_FORMATS = ("%b %Y", "%B %Y", "%b. %Y")
#: A date range's months: "Jan 1 - 31, 2026", "January 2026", "January - June 2026".
RANGE = re.compile(
    r"^(?P<m1>[A-Za-z]{3,9})\.?(?: \d{1,2})?(?:,? (?P<y1>\d{4}))?"
    r"(?: ?- ?(?P<m2>[A-Za-z]{3,9})?\.?(?: ?\d{1,2})?,? (?P<y2>\d{4}))?$"
)


def is_qbo(rows: Sequence[Sequence[str]]) -> bool:
    """Whether a table is the Budget vs. Actuals report: its title says so, or a heading row
    holds both ``Actual`` and ``Budget``."""
    head = rows[:8]
    titled = any("budget vs" in c.lower() and "actual" in c.lower() for r in head for c in r)
    return titled or _subheading(rows) is not None


def _subheading(rows: Sequence[Sequence[str]]) -> int | None:
    """The index of the sub-column row (``Actual``, ``Budget``, ...) among the first rows."""
    for index, row in enumerate(rows[:12]):
        cells = {c.strip().lower() for c in row}
        if {"actual", "budget"} <= cells:
            return index
    return None


def month_of(text: str) -> Period | None:
    """The one month a heading or date range names (None when it names none or several)."""
    text = " ".join(text.replace("\u2013", "-").split())
    for fmt in MONTH_FORMATS:
        try:
            return Period.containing(datetime.strptime(text, fmt).date())
        except ValueError:
            continue
    found = RANGE.match(text)
    if found is None:
        return None
    year = found["y2"] or found["y1"]
    first = _month(found["m1"], found["y1"] or year)
    last = _month(found["m2"], year) if found["m2"] else first
    return first if first is not None and first == last else None


def _month(name: str, year: str) -> Period | None:
    for fmt in ("%b %Y", "%B %Y"):
        try:
            return Period.containing(datetime.strptime(f"{name[:9]} {year}", fmt).date())
        except ValueError:
            continue
    return None


def budget_columns(rows: Sequence[Sequence[str]], sub: int) -> tuple[dict[int, Period], str | None]:
    """Each ``Budget`` column's month, or a sentence saying why the months cannot be told."""
    heads = rows[sub]
    above = rows[sub - 1] if sub > 0 else []
    columns: dict[int, Period] = {}
    titles = [r[0].strip() for r in rows[:sub] if r and r[0].strip()]
    single = next((m for m in map(month_of, titles) if m is not None), None)
    period = titles[-1] if titles else ""
    for index, cell in enumerate(heads):
        if cell.strip().lower() != "budget":
            continue
        group = next((above[i] for i in range(index, -1, -1) if i < len(above) and above[i]), "")
        if group.strip().lower() == "total":
            continue
        month = month_of(group) if group.strip() else single
        if month is None:
            what = repr(group.strip()) if group.strip() else f"the report's period {period!r}"
            return {}, (
                f"the Budget column {index + 1} covers {what}, not one month: run the report "
                "with Display columns by Month and export it again"
            )
        columns[index] = month
    if not columns:
        return {}, "no Budget column: export the Budget vs. Actuals report with its budget shown"
    return columns, None


def read_rows(
    rows: Sequence[Sequence[str]],
    where: Provenance,
    entity: str,
    currency: str,
    bad: RowErrors,
) -> list[BudgetLine]:
    """Every account row's budget cells, one line per account and month."""
    sub = _subheading(rows)
    if sub is None:
        bad.add(1, "no heading row with Actual and Budget columns: is this Budget vs. Actuals?")
        return []
    columns, problem = budget_columns(rows, sub)
    if problem:
        bad.add(sub + 1, problem)
        return []
    out = []
    for number, row in enumerate(rows[sub + 1 :], start=sub + 2):
        account = row[0].strip() if row else ""
        if not account or COMPUTED.match(account):
            continue
        for index, month in columns.items():
            cell = row[index] if index < len(row) else ""
            if not cell.strip():
                continue
            try:
                amount = tabular.money(cell, currency, what=f"{month} budget", negative_ok=True)
            except ValueError as exc:
                bad.add(number, str(exc))
                continue
            line = BudgetLine(entity, where.at_line(number), month, account, amount, LAYOUT)
            out.append(line)
    return out
