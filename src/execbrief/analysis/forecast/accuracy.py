"""Forecast against what happened: an earlier run's forecast weeks that have ended by as_of, each
set against the cash that actually moved through the entity's cash lines that week, with the
error (actual net movement - forecast net movement) and the mean absolute weekly error."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from execbrief.analysis import books
from execbrief.analysis.forecast.entity import PORTFOLIO
from execbrief.records.ledger import Transaction
from execbrief.snapshot import Provenance, Snapshot
from execbrief.values import Money


@dataclass(frozen=True)
class PastWeek:
    """One week of a stored forecast: what the run made on ``made`` expected."""

    entity: str
    made: date
    week: int
    start: date
    end: date
    inflow: Money
    outflow: Money
    closing: Money

    @property
    def net(self) -> Money:
        """Forecast inflow - outflow."""
        return self.inflow - self.outflow


@dataclass(frozen=True)
class WeekCheck:
    """A past forecast week beside the actual cash movement of the same days."""

    forecast: PastWeek
    actual_in: Money
    actual_out: Money
    provenance: tuple[Provenance, ...] = ()

    @property
    def actual_net(self) -> Money:
        """Actual in - out."""
        return self.actual_in - self.actual_out

    @property
    def error(self) -> Money:
        """Actual net movement - forecast net movement (positive: more cash than forecast)."""
        return self.actual_net - self.forecast.net


@dataclass(frozen=True)
class Accuracy:
    """One entity's (or the portfolio's) checked weeks and the mean absolute weekly error."""

    entity: str
    made: date
    weeks: tuple[WeekCheck, ...]

    @property
    def mean_abs_error(self) -> Money:
        """The mean of |error| over the checked weeks."""
        currency = self.weeks[0].error.currency
        total = sum((abs(w.error.amount) for w in self.weeks), Decimal(0))
        return Money(total / len(self.weeks), currency)

    @property
    def total_error(self) -> Money:
        """The checked weeks' errors added up: actual minus forecast cash movement."""
        return books.total((w.error for w in self.weeks), self.weeks[0].error.currency)


def accuracy(snapshot: Snapshot, past: Sequence[PastWeek]) -> tuple[Accuracy, ...]:
    """Every past entity forecast's weeks that ended on or before as_of against the ledger's
    cash lines of those days, then the portfolio (the sum of the entities checked)."""
    out = []
    ended = [w for w in past if w.end <= snapshot.as_of and w.entity != PORTFOLIO]
    for entity in sorted({w.entity for w in ended}):
        rows = [t for t in snapshot.records(Transaction, entity) if t.cash]
        checks = tuple(_check(w, rows) for w in ended if w.entity == entity)
        out.append(Accuracy(entity, checks[0].forecast.made, checks))
    if out:
        out.append(_portfolio(out))
    return tuple(out)


def _check(week: PastWeek, rows: Sequence[Transaction]) -> WeekCheck:
    inside = [t for t in rows if week.start <= t.date <= week.end]
    effects = [books.cash_effect(t) for t in inside]
    currency = week.inflow.currency
    return WeekCheck(
        week,
        books.total((e for e in effects if e.amount > 0), currency),
        -books.total((e for e in effects if e.amount < 0), currency),
        books.cite(inside),
    )


def _portfolio(entities: Sequence[Accuracy]) -> Accuracy:
    weeks = []
    for index, first in enumerate(entities[0].weeks):
        same = [a.weeks[index] for a in entities if len(a.weeks) > index]
        currency = first.forecast.inflow.currency
        f = first.forecast
        weeks.append(
            WeekCheck(
                PastWeek(
                    PORTFOLIO,
                    f.made,
                    f.week,
                    f.start,
                    f.end,
                    books.total((w.forecast.inflow for w in same), currency),
                    books.total((w.forecast.outflow for w in same), currency),
                    books.total((w.forecast.closing for w in same), currency),
                ),
                books.total((w.actual_in for w in same), currency),
                books.total((w.actual_out for w in same), currency),
                books.merge_citations(p for w in same for p in w.provenance),
            )
        )
    return Accuracy(PORTFOLIO, entities[0].made, tuple(weeks))
