"""Budget against actual: each budget line of the last complete month set against the ledger
lines of that month on the same account (the full name, or its last segment, any case), with the
variance (actual - budget) and the variance as a percentage of the budget."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from execbrief.analysis import books
from execbrief.records.budget import BudgetLine
from execbrief.records.ledger import Transaction
from execbrief.snapshot import Provenance, Snapshot
from execbrief.values import Money


@dataclass(frozen=True)
class Variance:
    """One budget line against what the ledger says for the same month and account."""

    entity: str
    month: str
    account: str
    actual: Money
    budget: Money
    provenance: tuple[Provenance, ...] = ()

    @property
    def variance(self) -> Money:
        """Actual - budget."""
        return self.actual - self.budget

    @property
    def percent(self) -> Decimal | None:
        """The variance ÷ the budget × 100 (None for a zero budget)."""
        if self.budget.is_zero:
            return None
        return self.variance.amount / abs(self.budget.amount) * 100


def _matches(budget: str, tx: Transaction) -> bool:
    wanted = budget.strip().lower()
    return wanted in (tx.account.strip().lower(), tx.category.strip().lower())


def variances(snapshot: Snapshot, entity: str, as_of: date) -> tuple[Variance, ...]:
    """The variances of the last complete month before as_of, in the budget file's order."""
    month = books.last_complete_month(as_of)
    lines: Sequence[BudgetLine] = [
        b for b in snapshot.records(BudgetLine, entity) if b.month == month
    ]
    if not lines:
        return ()
    rows = [t for t in snapshot.records(Transaction, entity) if books.month_of(t.date) == month]
    out = []
    for line in lines:
        matched = [t for t in rows if _matches(line.account, t)]
        actual = books.total((t.amount for t in matched), line.amount.currency)
        out.append(
            Variance(
                entity,
                str(month),
                line.account,
                actual,
                line.amount,
                (line.provenance, *books.cite(matched)),
            )
        )
    return tuple(out)


def has_budget(snapshot: Snapshot, entity: str) -> bool:
    """Whether the entity has any budget line at all."""
    return bool(snapshot.records(BudgetLine, entity))


def sources(snapshot: Snapshot, entity: str) -> tuple[tuple[str, str, str], ...]:
    """Where the entity's budget came from: (entity, file, layout), one per file, in order."""
    found = {
        (entity, b.provenance.source, b.layout): None for b in snapshot.records(BudgetLine, entity)
    }
    return tuple(found)
