"""Accrual P&L by month: the months a ledger covers, one entity's P&L lines, and a sum of lines
(a range of months, or the portfolio's month across entities).

P&L is accrual: every ledger line counts, cash or not.
"""

from __future__ import annotations

import itertools
import operator
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import compress

from execbrief.analysis import books
from execbrief.records.ledger import AccountType, CashBalance, Transaction
from execbrief.snapshot import Provenance, Snapshot, set_in_dict
from execbrief.values import Money, Period


@set_in_dict
@dataclass(frozen=True)
class MonthLine:
    """Accrual P&L of one entity (or the portfolio) for one month."""

    period: str
    revenue: Money
    cost_of_sales: Money
    operating_expenses: Money
    expenses: Money
    net: Money
    provenance: tuple[Provenance, ...] = ()
    #: The income rows alone, for a sentence about revenue.
    revenue_provenance: tuple[Provenance, ...] = ()


def ledger_periods(snapshot: Snapshot) -> list[Period]:
    """Every month from the first ledger line (or balance) of any entity to the as_of month."""
    # the earliest date, read in C: when it is after as_of, no line or balance is on or before it
    first = min(
        itertools.chain(
            map(_DATE, snapshot.records(Transaction)), map(_DATE, snapshot.records(CashBalance))
        ),
        default=None,
    )
    if first is None or first > snapshot.as_of:
        return []
    return books.month_range(books.month_of(first), books.month_of(snapshot.as_of))


_DATE = operator.attrgetter("date")


_PNL = frozenset({*books.COSTS, AccountType.INCOME})
_ACCOUNT_TYPE = operator.attrgetter("account_type")
_INCOME, _COST_OF_SALES, _EXPENSE = (
    AccountType.INCOME,
    AccountType.COST_OF_SALES,
    AccountType.EXPENSE,
)


def pnl_months(
    rows: Sequence[Transaction],
    periods: Sequence[Period],
    currency: str,
    months: books.ByMonth | None = None,
) -> tuple[MonthLine, ...]:
    """Accrual P&L per month: income, cost of sales and operating expenses (every ledger line).
    ``months``: ``books.by_month(rows, currency)``, when a caller has grouped them already."""
    months = months or books.by_month(rows, currency)
    uniform = months.uniform  # then each month's sums need no check
    out = []
    for period in periods:
        txs = [t for t in months.rows.get(period, ()) if t.account_type in _PNL]
        types = list(map(_ACCOUNT_TYPE, txs))  # each kind's rows picked in C, in row order
        income = list(compress(txs, map(_INCOME.__eq__, types)))
        revenue = books.sum_amounts(income, currency, checked=uniform)
        cos = books.sum_amounts(
            list(compress(txs, map(_COST_OF_SALES.__eq__, types))), currency, checked=uniform
        )
        opex = books.sum_amounts(
            list(compress(txs, map(_EXPENSE.__eq__, types))), currency, checked=uniform
        )
        out.append(
            MonthLine(
                str(period),
                revenue,
                cos,
                opex,
                cos + opex,
                revenue - cos - opex,
                books.cite(txs),
                books.cite(income),
            )
        )
    return tuple(out)


def sum_lines(label: str, lines: Sequence[MonthLine], currency: str) -> MonthLine:
    """One line summing ``lines`` (months of one entity, or one month of several), labelled ``label``."""
    return MonthLine(
        label,
        books.total((m.revenue for m in lines), currency),
        books.total((m.cost_of_sales for m in lines), currency),
        books.total((m.operating_expenses for m in lines), currency),
        books.total((m.expenses for m in lines), currency),
        books.total((m.net for m in lines), currency),
        tuple(p for m in lines for p in m.provenance),
        tuple(p for m in lines for p in m.revenue_provenance),
    )
