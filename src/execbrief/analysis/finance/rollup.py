"""The portfolio roll-up: every entity's months and burn summed, the portfolio's cash and runway,
and the check that the portfolio's net is the sum of its entities'."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from execbrief.analysis import books
from execbrief.analysis.finance.cash import (
    Runway,
    headline_burn,
    runway,
    sum_burn,
    trailing_burn,
)
from execbrief.analysis.finance.entity import PORTFOLIO, EntityFinance
from execbrief.analysis.finance.options import FinanceOptions
from execbrief.analysis.finance.pnl import sum_lines
from execbrief.snapshot import Snapshot
from execbrief.values import MoneyRange, Period


def portfolio_finance(
    snapshot: Snapshot,
    entities: Sequence[EntityFinance],
    periods: Sequence[Period],
    options: FinanceOptions,
) -> EntityFinance:
    """The portfolio as one entity: the entities with a ledger summed month by month."""
    currency, as_of = snapshot.currency, snapshot.as_of
    with_ledger = [e for e in entities if e.has_ledger]
    months = tuple(
        sum_lines(str(period), [e.months[index] for e in with_ledger], currency)
        for index, period in enumerate(periods)
    )
    burn = tuple(
        sum_burn(str(period), [e.burn[index] for e in with_ledger], currency)
        for index, period in enumerate(periods)
    )
    # burn starts with the first month any entity's cash lines show (a processor's P&L-only
    # lines before the bank's export starts open no month of burn); with no entity's burn known
    # (only processor exports) the portfolio's is unknown too, never $0
    cashed = [p for p, b in zip(periods, burn, strict=True) if b.provenance]
    known = any(e.net_burn_6m is not None for e in with_ledger)
    first = cashed[0] if cashed else (periods[0] if periods and known else None)

    def burn_range(months: int, *, gross: bool = False) -> MoneyRange | None:
        return trailing_burn(burn, months, as_of, first, currency, gross=gross)

    run = _runway(with_ledger, burn_range(options.runway_window), snapshot)
    partial = left_out(with_ledger, cash_known=run.cash is not None)
    if first is None and with_ledger:
        run = replace(run, text=_burn_unknown(with_ledger))
    elif partial:
        run = replace(run, text=f"{run.text}; {partial}")
    cash = (run.cash, run.cash_source, run.provenance)
    headline = headline_burn(burn, options.runway_window, as_of, first, cash)
    if headline is not None and partial:
        said = f"{headline.runway.text}; {partial}"
        headline = replace(headline, runway=replace(headline.runway, text=said))
    return EntityFinance(
        PORTFOLIO,
        snapshot.portfolio,
        "portfolio",
        months,
        burn,
        burn_range(3),
        burn_range(6),
        burn_range(3, gross=True),
        burn_range(6, gross=True),
        run,
        None,
        bool(with_ledger),
        headline,
        next((e.costs_unknown for e in with_ledger if e.costs_unknown), None),
    )


def _burn_unknown(with_ledger: Sequence[EntityFinance]) -> str:
    """Why no entity's burn is known, from their runways' own reasons ("unknown, burn needs a
    bank or books ledger; only a Stripe export was given")."""
    said = {e.runway.text for e in with_ledger if e.runway is not None}
    if len(said) == 1:
        return said.pop()
    reasons = "; ".join(
        f"{e.name}: {e.runway.text.removeprefix('unknown, ')}"
        for e in with_ledger
        if e.runway is not None
    )
    return f"unknown, no entity's burn can be measured ({reasons})"


def _cash_unknown(with_ledger: Sequence[EntityFinance]) -> list[str]:
    """The entities whose cash is not known (the portfolio's cash leaves them out)."""
    return [e.name for e in with_ledger if e.runway is None or e.runway.cash is None]


def _burn_unknown_for(with_ledger: Sequence[EntityFinance]) -> list[str]:
    """The entities whose burn cannot be measured (no cash line: a processor's export alone),
    which the portfolio's burn, summed over the entities, leaves out (an entity whose books start
    this month has no complete month yet, and is not named)."""
    return [e.name for e in with_ledger if e.burn_unknown]


#: The phrase a portfolio runway ends with when it leaves entities out ("; cash and burn unknown
#: for Gull Rock Charters"); the summary line finds it there (reports/finblocks.headline_text).
LEFT_OUT = re.compile(r"; (?:cash|burn|cash and burn) unknown for .*$")


def left_out(with_ledger: Sequence[EntityFinance], *, cash_known: bool = True) -> str:
    """What the portfolio's cash, burn and runway leave out, in one short phrase: "cash and burn
    unknown for Gull Rock Charters", "cash unknown for A; burn unknown for B"; "" when nothing.
    With the portfolio's cash unknown (``cash_known`` false) its runway says so already, and only
    the burn is named."""
    cash = _cash_unknown(with_ledger) if cash_known else []
    burn = _burn_unknown_for(with_ledger)
    both = [n for n in cash if n in burn]
    groups = (
        ("cash and burn", both),
        ("cash", [n for n in cash if n not in both]),
        ("burn", [n for n in burn if n not in both]),
    )
    return "; ".join(f"{what} unknown for {', '.join(names)}" for what, names in groups if names)


def _runway(
    with_ledger: Sequence[EntityFinance], burn: MoneyRange | None, snapshot: Snapshot
) -> Runway:
    """The entities' cash summed over the portfolio's net burn; says whose cash is unknown."""
    currency = snapshot.currency
    cashes = [
        e.runway.cash for e in with_ledger if e.runway is not None and e.runway.cash is not None
    ]
    missing = _cash_unknown(with_ledger)
    cash = books.total(cashes, currency) if cashes else None
    cited = tuple(
        p
        for e in with_ledger
        if e.runway and e.runway.cash is not None
        for p in e.runway.provenance[:2]
    )
    run = runway(cash, burn, snapshot.as_of, cash_source="ledger", provenance=cited)
    if missing and cash is not None:
        return replace(run, cash_source="ledger (partial)")
    return run


def rollup_problems(
    entities: Sequence[EntityFinance],
    portfolio: EntityFinance,
    periods: Sequence[Period],
    currency: str,
) -> list[str]:
    """Months where the portfolio's net is not the sum of its entities' nets (empty: it adds up)."""
    problems = []
    for index, period in enumerate(periods):
        total = books.total((e.months[index].net for e in entities if e.has_ledger), currency)
        if total != portfolio.months[index].net:
            problems.append(
                f"{period}: portfolio net {portfolio.months[index].net} != sum of entities {total}"
            )
    return problems
