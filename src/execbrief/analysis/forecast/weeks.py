"""The 13-week table: week by week opening cash, inflows, outflows and closing cash, the first
week the closing cash falls below zero or below the cash reserve, and the portfolio's table as
the sum of the entities' weeks."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property

from execbrief.analysis import books
from execbrief.analysis.forecast.rules import ForecastLine
from execbrief.snapshot import Provenance, set_in_dict
from execbrief.values import Money

WEEKS = 13


@set_in_dict
@dataclass(frozen=True)
class ForecastWeek:
    """One week of the forecast (``start``..``end`` inclusive) and the lines it holds."""

    number: int
    start: date
    end: date
    opening: Money
    inflow: Money
    outflow: Money
    closing: Money
    lines: tuple[ForecastLine, ...] = ()
    #: The entities' same weeks a portfolio week sums (their lines are ``lines``).
    parts: tuple[ForecastWeek, ...] = field(default=(), compare=False, repr=False)

    @property
    def net(self) -> Money:
        """Inflow - outflow."""
        return self.inflow - self.outflow

    @cached_property
    def provenance(self) -> tuple[Provenance, ...]:
        """The rows of every line of the week, one citation per file (a portfolio week's from its
        entities' weeks' citations: a file only one of them cites keeps that one's, merged once)."""
        if self.parts:
            return books.merge_merged([(w.cited, w.provenance) for w in self.parts])
        return books.merge_citations(self.cited)

    @property
    def cited(self) -> list[Provenance]:
        """The citations of every line of the week, in order, unmerged."""
        return [p for line in self.lines for p in line.provenance]


def week_table(
    opening: Money, lines: Sequence[ForecastLine], as_of: date, weeks: int = WEEKS
) -> tuple[ForecastWeek, ...]:
    """Weeks 1..``weeks``: week n runs from as_of + 7(n-1) + 1 to as_of + 7n; each opens on the
    previous week's closing cash (week 1 on ``opening``, the cash on as_of)."""
    out = []
    cash = opening
    currency = opening.currency
    # each line in its week in one pass (week n holds the days 7(n-1)+1..7n after as_of), in
    # the lines' order, as a scan of every line per week found them
    by_week: list[list[ForecastLine]] = [[] for _ in range(weeks + 1)]
    for line in lines:
        days = (line.day - as_of).days
        if 1 <= days <= 7 * weeks:
            by_week[(days - 1) // 7 + 1].append(line)
    for number in range(1, weeks + 1):
        start = as_of + timedelta(days=7 * (number - 1) + 1)
        end = as_of + timedelta(days=7 * number)
        held = tuple(sorted(by_week[number], key=_order))
        inflow = books.total((x.amount for x in held if x.amount.amount > 0), currency)
        outflow = -books.total((x.amount for x in held if x.amount.amount < 0), currency)
        closing = cash + inflow - outflow
        out.append(ForecastWeek(number, start, end, cash, inflow, outflow, closing, held))
        cash = closing
    return tuple(out)


def _order(line: ForecastLine) -> tuple[date, str, str]:
    return (line.day, line.kind, line.label)


def sum_weeks(tables: Sequence[Sequence[ForecastWeek]], currency: str) -> tuple[ForecastWeek, ...]:
    """The portfolio's weeks: each figure the sum of the entities' same week."""
    if not tables:
        return ()
    out = []
    for index, first in enumerate(tables[0]):
        same = [table[index] for table in tables]
        out.append(
            ForecastWeek(
                first.number,
                first.start,
                first.end,
                books.total((w.opening for w in same), currency),
                books.total((w.inflow for w in same), currency),
                books.total((w.outflow for w in same), currency),
                books.total((w.closing for w in same), currency),
                tuple(line for w in same for line in w.lines),
                tuple(same),
            )
        )
    return tuple(out)


def first_below(weeks: Sequence[ForecastWeek], floor: Money) -> ForecastWeek | None:
    """The first week whose cash falls below ``floor``: it closes below it after opening at or
    above it (a week that opens below the floor did not run short that week, it already was)."""
    return next((w for w in weeks if w.closing.amount < floor.amount <= w.opening.amount), None)


def first_back(weeks: Sequence[ForecastWeek], floor: Money) -> ForecastWeek | None:
    """The first week closing at or above ``floor`` (for cash that opens below it)."""
    return next((w for w in weeks if w.closing.amount >= floor.amount), None)
