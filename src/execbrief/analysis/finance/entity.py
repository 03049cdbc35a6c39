"""One entity's finance: its P&L months, burn, burn ranges, runway, the headline burn (the
trailing average and the runway at it) and break-even together."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

from execbrief.analysis import books
from execbrief.analysis.finance.breakeven import BreakEven, break_even
from execbrief.analysis.finance.cash import (
    BurnMonth,
    HeadlineBurn,
    Runway,
    burn_months,
    cash_at,
    headline_burn,
    runway,
    trailing_burn,
)
from execbrief.analysis.finance.options import FinanceEntityOptions, FinanceOptions
from execbrief.analysis.finance.pnl import MonthLine, pnl_months, sum_lines
from execbrief.records.ledger import CashBalance, Transaction
from execbrief.snapshot import EntityInfo, Provenance, Snapshot
from execbrief.values import Money, MoneyRange, Period, with_article

#: The entity id of the portfolio roll-up.
PORTFOLIO = "portfolio"


@dataclass(frozen=True)
class EntityFinance:
    """Everything finance computes for one entity (or, with ``entity == "portfolio"``, the roll-up)."""

    entity: str
    name: str
    kind: str
    months: tuple[MonthLine, ...]
    burn: tuple[BurnMonth, ...]
    net_burn_3m: MoneyRange | None = None
    net_burn_6m: MoneyRange | None = None
    gross_burn_3m: MoneyRange | None = None
    gross_burn_6m: MoneyRange | None = None
    runway: Runway | None = None
    break_even: BreakEven | None = None
    has_ledger: bool = True
    headline: HeadlineBurn | None = None

    def month(self, period: str) -> MonthLine | None:
        """The P&L line of one month."""
        return next((m for m in self.months if m.period == period), None)

    def totals(self, periods: Sequence[str] | None = None) -> MonthLine:
        """Revenue, expenses and net summed over ``periods`` (default: every month)."""
        lines = [m for m in self.months if periods is None or m.period in periods]
        currency = lines[0].revenue.currency if lines else "USD"
        label = f"{lines[0].period}..{lines[-1].period}" if lines else ""
        return sum_lines(label, lines, currency)


def entity_finance(
    snapshot: Snapshot,
    info: EntityInfo,
    periods: Sequence[Period],
    options: FinanceOptions,
    eopts: FinanceEntityOptions,
) -> EntityFinance:
    """P&L, burn, runway and break-even of one entity, from its ledger lines up to as_of."""
    currency, as_of = snapshot.currency, snapshot.as_of
    rows = [t for t in snapshot.records(Transaction, info.id) if t.date <= as_of]
    balances = snapshot.records(CashBalance, info.id)
    months = books.by_month(rows, currency)  # the P&L and the burn read the same months
    burn = burn_months(rows, periods, currency, months)
    stated = [b.date for b in balances if b.date <= as_of]
    first = _first_month([t.date for t in rows] + stated)
    # burn is cash: its months start with the cash lines and balances (a processor's lines,
    # P&L only, do not open a month of burn before the bank's export starts)
    cash_first = _first_month([t.date for t in rows if t.cash] + stated)

    def burn_range(months: int, *, gross: bool = False) -> MoneyRange | None:
        return trailing_burn(burn, months, as_of, cash_first, currency, gross=gross)

    found = cash_at(balances, rows, as_of)
    cash = (found[0], "ledger", found[2]) if found else (None, None, ())
    run = _runway(cash, burn, as_of, cash_first, options.runway_window, currency)
    if cash_first is None and (why := no_cash_lines(rows)):
        run = replace(run, text=f"unknown, {why}")
    be_window = books.trailing(options.window_months, as_of, first) if first is not None else []
    return EntityFinance(
        info.id,
        info.name,
        info.kind,
        pnl_months(rows, periods, currency, months),
        burn,
        burn_range(3),
        burn_range(6),
        burn_range(3, gross=True),
        burn_range(6, gross=True),
        run,
        break_even(snapshot, info, rows, be_window, eopts, options.target_margin),
        has_ledger=bool(rows or balances),
        headline=headline_burn(burn, options.runway_window, as_of, cash_first, cash),
    )


#: A processor's line names its processor at the end of its account (``Income:Sales (Stripe)``).
_PROCESSOR_NAMED = re.compile(r" \(([^()]+)\)$")


def no_cash_lines(rows: Sequence[Transaction]) -> str | None:
    """Why burn cannot be measured from lines none of which moved cash, said in one clause
    ("burn needs a bank or books ledger; only a Stripe export was given"); None when a line
    moved cash or there are none. A processor's export (its sales, fees, refunds and payouts) is
    P&L only: the spending is paid from a bank the portfolio does not list, so its payouts are
    not burn and no burn can be computed from it."""
    if not rows or any(t.cash for t in rows):
        return None
    named = [_PROCESSOR_NAMED.search(t.account) for t in rows]
    processors = sorted({m.group(1) for m in named if m})
    if processors and all(named):
        given = with_article(" and ".join(processors))
        return f"burn needs a bank or books ledger; only {given} export was given"
    return "burn needs cash lines, and no ledger line moved cash (a bank or cash account)"


def _first_month(dates: Sequence[date]) -> Period | None:
    return books.month_of(min(dates)) if dates else None


def _runway(
    found: tuple[Money | None, str | None, tuple[Provenance, ...]],
    burn: Sequence[BurnMonth],
    as_of: date,
    first: Period | None,
    window_months: int,
    currency: str,
) -> Runway:
    """The entity's runway: its cash on as_of (``found``: amount, source and citations) over the
    net burn range of the runway window, citing the balances and the burn months of the window."""
    cash, cash_source, cash_cite = found
    window_cite: tuple[Provenance, ...] = ()
    if first is not None:
        window = {str(m) for m in books.trailing(window_months, as_of, first)}
        window_cite = tuple(p for b in burn if b.period in window for p in b.provenance)
    return runway(
        cash,
        trailing_burn(burn, window_months, as_of, first, currency, gross=False),
        as_of,
        cash_source=cash_source,
        provenance=cash_cite + window_cite,
    )
