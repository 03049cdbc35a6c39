"""Cash and burn: cash in and out by month, the cash on a date, burn over a trailing window,
and runway (cash ÷ net burn) with the dates cash runs out; the headline burn (the window's
average) and the runway at that average.

Burn is cash: only ledger lines with ``cash=True``. A *trailing window* is the last N complete
months before ``as_of``, never before the entity's first ledger month.
"""

from __future__ import annotations

import operator
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import ROUND_FLOOR, Decimal

from execbrief.analysis import books
from execbrief.analysis.finance.wording import fmt_months
from execbrief.records.ledger import CashBalance, Transaction
from execbrief.snapshot import Provenance, set_in_dict
from execbrief.values import Cadence, Money, MoneyRange, Period

#: Average Gregorian month in days, for turning months of runway into a date.
DAYS_PER_MONTH = Decimal("365.25") / 12


@set_in_dict
@dataclass(frozen=True)
class BurnMonth:
    """Cash movements of one month: in, out (gross burn) and net burn (out - in)."""

    period: str
    cash_in: Money
    gross_burn: Money
    net_burn: Money
    provenance: tuple[Provenance, ...] = ()


@dataclass(frozen=True)
class Runway:
    """Cash ÷ net burn as a range of months, and the dates cash runs out.

    ``status``: ``burning`` (both ends finite), ``partly burning`` (some months of the window
    burned, others did not: the long end is open), ``not burning``, ``out of cash``, ``no cash``
    (no balance known) or ``no data``. ``months_low`` pairs with the worst month (``out_low``).
    """

    status: str
    text: str
    cash: Money | None = None
    cash_date: date | None = None
    cash_source: str | None = None
    burn: MoneyRange | None = None
    months_low: Decimal | None = None
    months_high: Decimal | None = None
    out_low: date | None = None
    out_high: date | None = None
    provenance: tuple[Provenance, ...] = ()


@dataclass(frozen=True)
class HeadlineBurn:
    """The headline burn: the mean monthly net burn over the trailing window's months (fewer
    than the window when the books start later), the range of those months, and the runway at
    that average (``runway``: cash ÷ average, one figure instead of a range)."""

    average: Money
    months: tuple[str, ...]
    spread: MoneyRange
    runway: Runway
    provenance: tuple[Provenance, ...] = ()

    @property
    def per_month(self) -> MoneyRange:
        """The average as a monthly figure (a one-value range per month)."""
        return MoneyRange.point(self.average, Cadence.MONTH)

    @property
    def basis(self) -> str:
        """What the average is over: "3-month average, 2026-08..2026-10"."""
        span = self.months[0] if len(self.months) == 1 else f"{self.months[0]}..{self.months[-1]}"
        return f"{len(self.months)}-month average, {span}"


def _range(values: Sequence[Money], currency: str) -> MoneyRange | None:
    if not values:
        return None
    low = min(v.amount for v in values)
    high = max(v.amount for v in values)
    return MoneyRange(Money(low, currency), Money(high, currency), Cadence.MONTH)


def _months_to_date(start: date, months: Decimal) -> date:
    days = int((months * DAYS_PER_MONTH).to_integral_value(rounding=ROUND_FLOOR))
    try:
        return start + timedelta(days=days)
    except OverflowError:  # a burn of a cent against thousands: runway past the calendar's end
        return date.max


_CASH = operator.attrgetter("cash")
_ZERO = Decimal(0)


def burn_months(
    rows: Sequence[Transaction],
    periods: Sequence[Period],
    currency: str,
    months: books.ByMonth | None = None,
) -> tuple[BurnMonth, ...]:
    """Cash in, gross burn (cash out) and net burn (out - in) per month, from cash lines only.
    ``months``: ``books.by_month(rows, currency)``, when a caller has grouped them already."""
    months = months or books.by_month(rows, currency)
    uniform = months.uniform  # then no month needs the check
    out = []
    for period in periods:
        txs = list(filter(_CASH, months.rows.get(period, ())))
        if uniform or books.one_currency(txs, currency):  # added as Decimals, one Money per month
            effects = list(map(books.cash_amount, txs))
            # the ins and the outs picked in C (``0 < e``, ``0 > e``), summed as before
            cash_in = Money(sum(filter(_ZERO.__lt__, effects), Decimal(0)), currency)
            cash_out = Money(-sum(filter(_ZERO.__gt__, effects), Decimal(0)), currency)
        else:  # the clash is said by Money's own arithmetic
            moves = [books.cash_effect(t) for t in txs]
            cash_in = books.total((e for e in moves if e.amount > 0), currency)
            cash_out = -books.total((e for e in moves if e.amount < 0), currency)
        out.append(BurnMonth(str(period), cash_in, cash_out, cash_out - cash_in, books.cite(txs)))
    return tuple(out)


def cash_at(
    balances: Sequence[CashBalance], rows: Sequence[Transaction], as_of: date
) -> tuple[Money, date, tuple[Provenance, ...]] | None:
    """Cash on ``as_of``: the latest stated balance (opening or assertion) of each cash account on or
    before it, plus the cash lines after it. An opening balance stands at the start of its day (that
    day's lines count after it), an assertion at the end. A computed ``closing`` balance is used only
    when no balance is stated, since a stated balance is the evidence and a closing is arithmetic.

    A line that names its cash account (a double-entry export's, or a processor's sale moving the
    balance held there) counts after that account's own balance; a line whose cash side is implied
    counts after the latest balance of the accounts no line names (all of them, when every account
    is named)."""
    usable = [b for b in balances if b.date <= as_of]
    stated = [b for b in usable if b.kind != "closing"] or usable
    latest: dict[str, CashBalance] = {}
    for balance in stated:
        current = latest.get(balance.account)
        if current is None or balance.date >= current.date:
            latest[balance.account] = balance
    if not latest:
        return None
    named = {t.cash_account for t in rows if t.cash_account is not None}
    implied = [b for a, b in latest.items() if a not in named]
    if not implied and any(t.cash and t.cash_account is None for t in rows):
        return None  # a bank's lines with no balance of their own: its cash is unknown
    implied = implied or list(latest.values())
    anchor = max(b.date for b in implied)
    at_start = all(b.kind == "opening" for b in implied if b.date == anchor)
    currency = next(iter(latest.values())).balance.currency
    if set(map(_CASH_ACCOUNT, rows)) <= {None}:  # no line names its cash account: the anchor's
        after = [t for t in rows if t.cash and (anchor <= t.date if at_start else anchor < t.date)]
        after = [t for t in after if t.date <= as_of]
    else:
        after = [
            t for t in rows if t.cash and t.date <= as_of and _after(t, latest, anchor, at_start)
        ]
    held = books.total((b.balance for b in latest.values()), currency)
    moved = (
        Money(sum(map(books.cash_amount, after), Decimal(0)), currency)
        if books.one_currency(after, currency)
        else books.total((books.cash_effect(t) for t in after), currency)
    )
    cash = held + moved
    provenance = tuple(
        b.provenance for b in sorted(latest.values(), key=lambda b: b.account)
    ) + books.cite(after)
    return cash, as_of, provenance


_CASH_ACCOUNT = operator.attrgetter("cash_account")


def _after(tx: Transaction, latest: dict[str, CashBalance], anchor: date, at_start: bool) -> bool:
    """Whether a cash line comes after the balance it adds to (its account's own, when named)."""
    own = latest.get(tx.cash_account) if tx.cash_account is not None else None
    if tx.cash_account is not None and own is None:
        return False  # a cash account with no balance: the ledger source warns about it
    if own is not None:
        return tx.date >= own.date if own.kind == "opening" else tx.date > own.date
    return tx.date >= anchor if at_start else tx.date > anchor


def runway(
    cash: Money | None,
    burn: MoneyRange | None,
    as_of: date,
    *,
    cash_source: str | None = None,
    provenance: tuple[Provenance, ...] = (),
) -> Runway:
    """Runway = cash ÷ net burn, over the range of monthly net burn (worst month gives the short end)."""
    if burn is None:
        if cash is None:
            return Runway(
                "no data", "unknown, no cash balance and no complete month of ledger lines"
            )
        return Runway(
            "no data",
            "unknown, no complete month of ledger lines to measure burn",
            cash,
            as_of,
            cash_source,
            provenance=provenance,
        )
    if cash is None:
        return Runway("no cash", "unknown, no cash balance", burn=burn, provenance=provenance)
    high_burn, low_burn = burn.high.amount, burn.low.amount
    if high_burn <= 0:
        return Runway(
            "not burning", "not burning", cash, as_of, cash_source, burn, provenance=provenance
        )
    if cash.amount <= 0:
        return Runway(
            "out of cash",
            f"out of cash ({cash.quantize()})",
            cash,
            as_of,
            cash_source,
            burn,
            Decimal(0),
            Decimal(0),
            as_of,
            as_of,
            provenance,
        )
    months_low = cash.amount / high_burn
    out_low = _months_to_date(as_of, months_low)
    if low_burn <= 0:
        text = f"{fmt_months(months_low)}+ months (out {out_low.isoformat()} at the worst month's burn)"
        return Runway(
            "partly burning",
            text,
            cash,
            as_of,
            cash_source,
            burn,
            books.round2(months_low),
            None,
            out_low,
            None,
            provenance,
        )
    months_high = cash.amount / low_burn
    out_high = _months_to_date(as_of, months_high)
    text = (
        f"{fmt_months(months_low)}–{fmt_months(months_high)} months "
        f"(out {out_low.isoformat()} – {out_high.isoformat()})"
    )
    return Runway(
        "burning",
        text,
        cash,
        as_of,
        cash_source,
        burn,
        books.round2(months_low),
        books.round2(months_high),
        out_low,
        out_high,
        provenance,
    )


def sum_burn(label: str, burns: Sequence[BurnMonth], currency: str) -> BurnMonth:
    """One month's cash movements summed across entities."""
    return BurnMonth(
        label,
        books.total((b.cash_in for b in burns), currency),
        books.total((b.gross_burn for b in burns), currency),
        books.total((b.net_burn for b in burns), currency),
        tuple(p for b in burns for p in b.provenance),
    )


def trailing_burn(
    burn: Sequence[BurnMonth],
    months: int,
    as_of: date,
    first: Period | None,
    currency: str,
    *,
    gross: bool,
) -> MoneyRange | None:
    """The range of monthly net (or gross) burn over the trailing ``months`` complete months."""
    if first is None:
        return None
    by_period = {b.period: b for b in burn}
    window = books.trailing(months, as_of, first)
    values = [
        by_period[str(p)].gross_burn if gross else by_period[str(p)].net_burn
        for p in window
        if str(p) in by_period
    ]
    return _range(values, currency)


def headline_burn(
    burn: Sequence[BurnMonth],
    months: int,
    as_of: date,
    first: Period | None,
    cash: tuple[Money | None, str | None, tuple[Provenance, ...]],
) -> HeadlineBurn | None:
    """The mean monthly net burn over the trailing ``months`` complete months (only the months
    since ``first`` when the books start later: an entity with two months of books is averaged
    over two), with the runway at that average. None without one complete month of books."""
    if first is None:
        return None
    window = {str(p) for p in books.trailing(months, as_of, first)}
    chosen = [b for b in burn if b.period in window]
    if not chosen:
        return None
    currency = chosen[0].net_burn.currency
    average = books.total((b.net_burn for b in chosen), currency) / len(chosen)
    spread = _range([b.net_burn for b in chosen], currency)
    assert spread is not None
    cited = books.merge_citations(p for b in chosen for p in b.provenance)
    amount, source, cash_cite = cash
    run = average_runway(amount, average, as_of, cash_source=source, provenance=cash_cite + cited)
    return HeadlineBurn(average, tuple(b.period for b in chosen), spread, run, cited)


def average_runway(
    cash: Money | None,
    average: Money,
    as_of: date,
    *,
    cash_source: str | None = None,
    provenance: tuple[Provenance, ...] = (),
) -> Runway:
    """Runway at the average burn: cash ÷ average net burn, one figure and one out date. An
    average at or below zero (cash grew on average) is not burning, even when one month burned."""
    run = runway(
        cash,
        MoneyRange.point(average, Cadence.MONTH),
        as_of,
        cash_source=cash_source,
        provenance=provenance,
    )
    if run.status != "burning" or run.months_low is None or run.out_low is None:
        return run
    months = cash.amount / average.amount if cash is not None else Decimal(0)
    return replace(
        run,
        text=f"{fmt_months(months)} months at the average burn (out {run.out_low.isoformat()})",
    )
