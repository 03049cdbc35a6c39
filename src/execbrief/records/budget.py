"""Records read from budget files."""

from __future__ import annotations

from dataclasses import dataclass

from execbrief.snapshot import Record
from execbrief.values import Money, Period


@dataclass(frozen=True)
class BudgetLine(Record):
    """One month's budget for one account or category; ``amount`` is positive in the account's
    own direction (income expected, expense allowed), as ledger amounts are."""

    month: Period
    account: str
    amount: Money
