"""One entity's 13-week forecast (and the portfolio's, the sum of the entities'): its opening
cash, the cash reserve the cash-months rule asks for, the week table, the assumptions it rests
on and the first weeks the closing cash falls below the reserve and below zero."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from execbrief.analysis import books
from execbrief.analysis.finance import EntityFinance, FinanceOptions
from execbrief.analysis.finance.cash import cash_at
from execbrief.analysis.finance.wording import fmt_months
from execbrief.analysis.forecast.assumptions import Assumption, booking_pace, payment_lags
from execbrief.analysis.forecast.options import ForecastEntityOptions, ForecastOptions
from execbrief.analysis.forecast.rules import (
    ForecastLine,
    Horizon,
    booking_balances,
    future_bills,
    new_bookings,
    open_invoices,
    payees,
    recurring,
)
from execbrief.analysis.forecast.weeks import (
    WEEKS,
    ForecastWeek,
    first_back,
    first_below,
    sum_weeks,
    week_table,
)
from execbrief.records.bookings import Booking
from execbrief.records.ledger import CashBalance, Transaction
from execbrief.records.timesheets import Invoice
from execbrief.snapshot import Provenance, Snapshot
from execbrief.values import Money

PORTFOLIO = "portfolio"


@dataclass(frozen=True)
class Reserve:
    """The cash floor: ``months`` of the worst month's net burn (the cash-months rule), or the
    amount set in the config; ``basis`` says which."""

    amount: Money
    basis: str
    provenance: tuple[Provenance, ...] = ()


@dataclass(frozen=True)
class EntityForecast:
    """The 13 weeks of one entity (``entity == "portfolio"`` for the roll-up)."""

    entity: str
    name: str
    opening: Money
    opening_provenance: tuple[Provenance, ...]
    weeks: tuple[ForecastWeek, ...]
    reserve: Reserve | None
    assumptions: tuple[Assumption, ...] = ()

    @property
    def zero(self) -> Money:
        """The zero floor in the forecast's currency."""
        return Money(0, self.opening.currency)

    @property
    def below_zero(self) -> ForecastWeek | None:
        """The first week cash falls below zero (from at or above it: a future event)."""
        return first_below(self.weeks, self.zero)

    @property
    def below_reserve(self) -> ForecastWeek | None:
        """The first week cash falls below the reserve (None without one; from at or above it)."""
        return first_below(self.weeks, self.reserve.amount) if self.reserve else None

    @property
    def short_now(self) -> Money | None:
        """The floor the cash on as_of is already under: zero when it is negative, else the
        reserve when it is below that; None when it is at or above both."""
        if self.opening.amount < 0:
            return self.zero
        if self.reserve is not None and self.opening.amount < self.reserve.amount.amount:
            return self.reserve.amount
        return None

    def back_above(self, floor: Money) -> ForecastWeek | None:
        """The first week the forecast closes at or above ``floor`` (None: not in 13 weeks)."""
        return first_back(self.weeks, floor)

    @property
    def lines(self) -> tuple[ForecastLine, ...]:
        """Every line of the 13 weeks, in date order."""
        return tuple(line for week in self.weeks for line in week.lines)

    @property
    def at_risk(self) -> tuple[ForecastLine, ...]:
        """The inflows at risk, largest first."""
        risky = [x for x in self.lines if x.at_risk is not None]
        return tuple(sorted(risky, key=lambda x: (-x.amount.amount, x.day, x.label)))


def reserve_of(
    fin: EntityFinance, options: FinanceOptions, eopts: ForecastEntityOptions, currency: str
) -> Reserve | None:
    """The reserve: the config's amount, else the cash-months rule's months × the worst month's
    net burn of the runway window (None when the entity is not burning)."""
    if eopts.reserve is not None:
        return Reserve(Money(eopts.reserve, currency), "set in [entities.settings.forecast]")
    rule = next((r for r in options.rules if r.kind == "cash-months"), None)
    run = fin.runway
    if rule is None or run is None or run.burn is None or run.burn.high.amount <= 0:
        return None
    months = rule.months or options.min_cash_months
    worst = run.burn.high
    return Reserve(
        worst * months,
        f"{fmt_months(months)} months × the worst month's net burn {worst.quantize()} (rule {rule.id})",
        run.provenance,
    )


def entity_forecast(
    snapshot: Snapshot,
    fin: EntityFinance,
    finance: FinanceOptions,
    options: ForecastOptions,
    eopts: ForecastEntityOptions,
) -> EntityForecast | None:
    """The entity's forecast from its cash on as_of; None when its cash is not known."""
    as_of, currency, entity = snapshot.as_of, snapshot.currency, fin.entity
    rows = snapshot.records(Transaction, entity)
    found = cash_at(
        snapshot.records(CashBalance, entity), [t for t in rows if t.date <= as_of], as_of
    )
    if found is None:
        return None
    horizon = Horizon(as_of, as_of + timedelta(days=7 * WEEKS))
    bookings = snapshot.records(Booking, entity)
    invoices = snapshot.records(Invoice, entity)
    lags = payment_lags(entity, invoices, as_of, eopts)
    pace = booking_pace(entity, bookings, as_of, eopts, currency) if eopts.new_bookings else None
    lines: list[ForecastLine] = [
        *booking_balances(entity, bookings, horizon),
        *new_bookings(entity, pace, horizon, WEEKS),
        *open_invoices(entity, invoices, lags, horizon),
        *recurring(entity, grouped := payees(rows, horizon), horizon, options, income=False),
    ]
    if not (bookings or invoices):  # otherwise income arrives through them
        lines.extend(recurring(entity, grouped, horizon, options, income=True))
    lines.extend(future_bills(entity, rows, horizon))
    unpaid = sorted({i.client for i in invoices if i.paid_on is None or i.paid_on > as_of})
    used = dict.fromkeys(a for c in unpaid if (a := lags.of(c)) is not None)
    return EntityForecast(
        entity,
        fin.name,
        found[0],
        found[2],
        week_table(found[0], lines, as_of),
        reserve_of(fin, finance, eopts, currency),
        (*used, *(pace.all if pace else ())),
    )


def portfolio_forecast(forecasts: Sequence[EntityForecast], currency: str) -> EntityForecast | None:
    """The portfolio: each week the sum of the entities' weeks; its reserve the sum of theirs."""
    if not forecasts:
        return None
    reserves = [f.reserve for f in forecasts if f.reserve is not None]
    reserve = (
        Reserve(
            books.total((r.amount for r in reserves), currency),
            "the sum of the entities' reserves",
            tuple(p for r in reserves for p in r.provenance[:1]),
        )
        if reserves
        else None
    )
    return EntityForecast(
        PORTFOLIO,
        "Portfolio",
        books.total((f.opening for f in forecasts), currency),
        tuple(p for f in forecasts for p in f.opening_provenance[:1]),
        sum_weeks([f.weeks for f in forecasts], currency),
        reserve,
        tuple(a for f in forecasts for a in f.assumptions),
    )
