"""Records read from budget files."""

from __future__ import annotations

from dataclasses import dataclass

from execbrief.snapshot import Record
from execbrief.values import Money, Period


@dataclass(frozen=True)
class BudgetLine(Record):
    """One month's budget for one account or category; ``amount`` is positive in the account's
    own direction (income expected, expense allowed), as ledger amounts are. ``layout`` names the
    file's layout (``execbrief``, ``xero``, ``quickbooks-online``), so a report can say where the
    budget came from."""

    month: Period
    account: str
    amount: Money
    layout: str = "execbrief"
