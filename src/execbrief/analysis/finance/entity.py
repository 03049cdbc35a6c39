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
    #: Why the entity's full costs are not seen ("needs a bank or books ledger; only a Stripe
    #: export was given"): its only ledger is a processor's, whose expenses are the processor's
    #: fees, so break-even, net margin and contribution margin are unknown, never built on them.
    costs_unknown: str | None = None
    #: Why the entity's burn cannot be measured (no ledger line moved cash: "burn needs a bank or
    #: books ledger; only a Stripe export was given"); the portfolio's burn leaves it out.
    burn_unknown: str | None = None

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
    rows = books.ledger(snapshot, info.id)
    balances = snapshot.records(CashBalance, info.id)
    months = books.by_month(rows, currency)  # the P&L and the burn read the same months
    burn = burn_months(rows, periods, currency, months)
    stated = [b.date for b in balances if b.date <= as_of]
    first = _first_month([t.date for t in rows] + stated)
    # burn is cash: its months start with the cash lines (a processor's lines, P&L only, do not
    # open a month of burn before the bank's export starts; nor does an opening balance alone:
    # a September holding only the 9/30 opening balance is not a month that burned $0)
    cash_first = _first_month([t.date for t in rows if t.cash] or stated)

    def burn_range(months: int, *, gross: bool = False) -> MoneyRange | None:
        return trailing_burn(burn, months, as_of, cash_first, currency, gross=gross)

    found = cash_at(balances, rows, as_of)
    cash = (found[0], "ledger", found[2]) if found else (None, None, ())
    run = _runway(cash, burn, as_of, cash_first, options.runway_window, currency)
    why = no_cash_lines(rows) if cash_first is None else None
    if why:
        run = replace(run, text=f"unknown, {why}")
    be_window = books.trailing(options.window_months, as_of, first) if first is not None else []
    unseen = costs_unseen(rows) if cash_first is None else None
    even = break_even(snapshot, info, rows, be_window, eopts, options.target_margin)
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
        even if unseen is None else costs_unknown_break_even(even, unseen),
        has_ledger=bool(rows or balances),
        headline=headline_burn(burn, options.runway_window, as_of, cash_first, cash),
        costs_unknown=unseen,
        burn_unknown=why,
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
    if (unseen := costs_unseen(rows)) is not None:
        return f"burn {unseen}"
    return "burn needs cash lines, and no ledger line moved cash (a bank or cash account)"


def costs_unseen(rows: Sequence[Transaction]) -> str | None:
    """Why the entity's costs are not all in its lines, when every line is a processor's and none
    moved cash ("needs a bank or books ledger; only a Stripe export was given"); else None. Its
    expenses are then the processor's fees alone: rent, fuel and wages are paid from a bank the
    portfolio does not list."""
    if not rows or any(t.cash for t in rows):
        return None
    named = [_PROCESSOR_NAMED.search(t.account) for t in rows]
    processors = sorted({m.group(1) for m in named if m})
    if not processors or not all(named):
        return None
    given = with_article(" and ".join(processors))
    return f"needs a bank or books ledger; only {given} export was given"


def costs_unknown_break_even(even: BreakEven, unseen: str) -> BreakEven:
    """Break-even of an entity whose costs are not seen (``unseen``): unknown, and none of the
    figures built on its costs (fixed and variable costs, contribution, the revenue targets),
    which would read $0; the revenue a month and the price per unit stay, they are measured."""
    return replace(
        even,
        status="unknown",
        text=f"unknown, break-even {unseen}",
        variable_cost=None,
        variable_source=None,
        contribution=None,
        contribution_ratio=None,
        fixed_costs=None,
        fixed_source=None,
        units_needed=None,
        units_exact=None,
        break_even_revenue=None,
        target_revenue=None,
        target_status="unknown",
        exact=None,
    )


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
