"""Break-even: the units a month an entity must sell to cover its fixed costs, in its own unit
(charter, job, billable hour, trip, night, ...), and the monthly revenue to break even and to reach
the target margin. Prices and costs come from config, then the unit records, then the ledger.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from execbrief.analysis import books
from execbrief.analysis.finance.options import DEFAULT_VARIABLE_WORDS, FinanceEntityOptions
from execbrief.analysis.finance.wording import fmt_months
from execbrief.records.bookings import Booking, BookingStatus
from execbrief.records.ledger import AccountType, Transaction
from execbrief.records.timesheets import TimeEntry
from execbrief.records.trips import Trip
from execbrief.snapshot import EntityInfo, Provenance, Record, Snapshot
from execbrief.values import Money, Period

#: The unit each kind of entity breaks even in, and where its units are counted.
DEFAULT_UNITS: dict[str, tuple[str, str]] = {
    "charter": ("charter", "bookings"),
    "hauling": ("job", "bookings"),
    "consultancy": ("billable hour", "timesheets"),
    "delivery": ("trip", "trips"),
    "rental": ("night", "bookings"),
    "platform": ("placement", "bookings"),
    "other": ("sale", "bookings"),
}
#: Booking statuses that are sales (delivered or firmly booked), as opposed to funnel steps.
SOLD = frozenset({BookingStatus.BOOKED, BookingStatus.COMPLETED})


@dataclass(frozen=True)
class BreakEven:
    """Break-even in the entity's own unit and the monthly revenue targets.

    ``status``: ``reachable``, ``not reachable`` (contribution per unit <= 0), or ``unknown`` (no
    units or prices to measure). ``*_source`` says where each input came from (``config``,
    ``bookings``, ``trips``, ``timesheets``, ``ledger``).
    """

    entity: str
    unit: str
    status: str
    text: str
    window: tuple[str, ...] = ()
    units_sold: Decimal | None = None
    units_per_month: Decimal | None = None
    price: Money | None = None
    price_source: str | None = None
    variable_cost: Money | None = None
    variable_source: str | None = None
    contribution: Money | None = None
    contribution_ratio: Decimal | None = None
    fixed_costs: Money | None = None
    fixed_source: str | None = None
    units_needed: int | None = None
    units_exact: Decimal | None = None
    revenue_per_month: Money | None = None
    break_even_revenue: Money | None = None
    target_margin: Decimal | None = None
    target_revenue: Money | None = None
    target_status: str = "unknown"
    provenance: tuple[Provenance, ...] = ()
    #: The same figures before rounding, for arithmetic that goes on (milestones): a figure is
    #: rounded once, when it is shown, never on the way.
    exact: ExactTargets | None = None


@dataclass(frozen=True)
class ExactTargets:
    """Break-even's monthly figures at full Decimal precision."""

    revenue_per_month: Money
    fixed_costs: Money
    break_even_revenue: Money | None = None
    target_revenue: Money | None = None


def _variable_category(tx: Transaction, options: FinanceEntityOptions) -> bool:
    words = (
        DEFAULT_VARIABLE_WORDS
        if options.variable_categories is None
        else tuple(options.variable_categories)
    )
    return _variable_words(words, tx.category)


@functools.lru_cache(maxsize=1 << 14)  # asked per expense line, of a ledger's few categories
def _variable_words(words: tuple[str, ...], category: str) -> bool:
    pattern = _words_pattern(words)
    return pattern is not None and bool(pattern.search(category.lower()))


@functools.cache
def _words_pattern(words: tuple[str, ...]) -> re.Pattern[str] | None:
    if not words:
        return None
    return re.compile(
        r"(?<![a-z0-9])(?:" + "|".join(re.escape(w.lower()) for w in words) + r")(?![a-z0-9])"
    )


def _units(
    snapshot: Snapshot, entity: str, source: str, window: Sequence[Period]
) -> tuple[Decimal, Money | None, Money | None, list[Record]]:
    """Units sold in the window, revenue they carry, variable cost they carry (trips), and the rows."""
    if not window:
        return Decimal(0), None, None, []
    start, end = window[0].start, window[-1].end
    currency = snapshot.currency
    if source == "bookings":
        sold = [
            b
            for b in snapshot.records(Booking, entity)
            if b.status in SOLD and b.service_date is not None and start <= b.service_date <= end
        ]
        units = Decimal(sum(b.units for b in sold))
        priced = [b for b in sold if b.amount is not None]
        priced_units = Decimal(sum(b.units for b in priced))
        price = (
            books.total((b.amount for b in priced if b.amount), currency) / priced_units
            if priced_units
            else None
        )
        return units, price, None, list(sold)
    if source == "trips":
        trips = [t for t in snapshot.records(Trip, entity) if start <= t.start <= end]
        count = Decimal(len(trips))
        if not trips:
            return count, None, None, []
        fee = books.total((t.fee for t in trips), currency) / count
        cost = books.total((t.expenses for t in trips), currency) / count
        return count, fee, (cost if cost.amount > 0 else None), list(trips)
    if source == "timesheets":
        entries = [
            e for e in snapshot.records(TimeEntry, entity) if e.billable and start <= e.date <= end
        ]
        hours = sum((e.hours for e in entries), Decimal(0))
        rated = [e for e in entries if e.rate is not None]
        rated_hours = sum((e.hours for e in rated), Decimal(0))
        value = books.total((e.rate * e.hours for e in rated if e.rate), currency)
        return hours, (value / rated_hours if rated_hours else None), None, list(entries)
    return Decimal(0), None, None, []


def break_even(
    snapshot: Snapshot,
    info: EntityInfo,
    rows: Sequence[Transaction],
    window: Sequence[Period],
    options: FinanceEntityOptions,
    target_margin: Decimal,
) -> BreakEven:
    """Break-even units = fixed costs ÷ (price − variable cost per unit), rounded up; plus the
    monthly revenue to break even (fixed ÷ contribution ratio) and to reach the target margin
    (fixed ÷ (contribution ratio − target margin))."""
    currency = snapshot.currency
    unit_default, source_default = DEFAULT_UNITS.get(info.kind, ("sale", "bookings"))
    unit = options.unit or unit_default
    source = options.unit_source or source_default
    labels = tuple(str(p) for p in window)
    if not window:
        return BreakEven(
            info.id, unit, "unknown", "unknown, no complete month of ledger data", labels
        )
    n = Decimal(len(window))
    in_window, revenue, variable_total, fixed_total = _ledger_window(
        rows, window, options, currency
    )
    units, unit_price, unit_cost, unit_rows = _units(snapshot, info.id, source, window)
    fixed, fixed_source = _fixed_costs(options, fixed_total / n, currency)
    price, price_source = _price(options, unit_price, source, units, revenue, currency)
    variable, variable_source = _variable_cost(
        options, unit_cost, source, units, variable_total, currency
    )
    contribution, ratio = _contribution(price, variable, revenue, variable_total)
    be_revenue = fixed / ratio if ratio is not None and ratio > 0 else None
    target_revenue, target_status = _margin_target(fixed, ratio, target_margin)
    base = BreakEven(
        entity=info.id,
        unit=unit,
        status="unknown",
        text="",
        window=labels,
        units_sold=units,
        units_per_month=books.round2(units / n) if unit_rows else None,
        price=price.quantize() if price else None,
        price_source=price_source,
        variable_cost=variable.quantize() if variable else None,
        variable_source=variable_source,
        fixed_costs=fixed.quantize(),
        fixed_source=fixed_source,
        revenue_per_month=(revenue / n).quantize(),
        target_margin=target_margin,
        break_even_revenue=be_revenue.quantize() if be_revenue is not None else None,
        target_revenue=target_revenue.quantize() if target_revenue is not None else None,
        target_status=target_status,
        contribution_ratio=ratio,
        provenance=books.cite(in_window) + books.cite(unit_rows),
        exact=ExactTargets(revenue / n, fixed, be_revenue, target_revenue),
    )
    return _verdict(base, contribution, fixed, units / n if unit_rows else None)


def _ledger_window(
    rows: Sequence[Transaction],
    window: Sequence[Period],
    options: FinanceEntityOptions,
    currency: str,
) -> tuple[list[Transaction], Money, Money, Money]:
    """The ledger lines in the window, and their revenue, variable costs and fixed costs."""
    start, end = window[0].start, window[-1].end
    in_window = [t for t in rows if start <= t.date <= end]
    income: list[Transaction] = []
    variable: list[Transaction] = []
    fixed: list[Transaction] = []
    # the members read once: off its class, an enum member costs ten times a local (every row)
    revenue, cost_of_sales, expense = (
        AccountType.INCOME,
        AccountType.COST_OF_SALES,
        AccountType.EXPENSE,
    )
    for t in in_window:
        if t.account_type == revenue:
            income.append(t)
        elif t.account_type == cost_of_sales:
            variable.append(t)
        elif t.account_type == expense:
            (variable if _variable_category(t, options) else fixed).append(t)
    return (
        in_window,
        books.sum_amounts(income, currency),
        books.sum_amounts(variable, currency),
        books.sum_amounts(fixed, currency),
    )


def _fixed_costs(
    options: FinanceEntityOptions, measured: Money, currency: str
) -> tuple[Money, str]:
    """Fixed costs per month: configured, else the ledger's monthly average."""
    if options.fixed_costs is not None:
        return Money(options.fixed_costs, currency), "config"
    return measured, "ledger"


def _price(
    options: FinanceEntityOptions,
    measured: Money | None,
    source: str,
    units: Decimal,
    revenue: Money,
    currency: str,
) -> tuple[Money | None, str | None]:
    """Price per unit: configured, else measured on the unit records, else ledger revenue ÷ units."""
    if options.unit_price is not None:
        return Money(options.unit_price, currency), "config"
    if measured is not None:
        return measured, source
    if units > 0 and revenue.amount > 0:
        return revenue / units, "ledger"
    return None, None


def _variable_cost(
    options: FinanceEntityOptions,
    measured: Money | None,
    source: str,
    units: Decimal,
    variable_total: Money,
    currency: str,
) -> tuple[Money | None, str | None]:
    """Variable cost per unit: configured, else measured on the unit records (trips), else the
    ledger's variable costs ÷ units."""
    if options.variable_cost is not None:
        return Money(options.variable_cost, currency), "config"
    if measured is not None:
        return measured, source
    if units > 0:
        return variable_total / units, "ledger"
    return None, None


def _contribution(
    price: Money | None, variable: Money | None, revenue: Money, variable_total: Money
) -> tuple[Money | None, Decimal | None]:
    """Contribution per unit and the contribution ratio for revenue targets: per unit when a price
    is known, else the ratio from the ledger."""
    if price is not None and variable is not None:
        contribution = price - variable
        return contribution, contribution.amount / price.amount
    if revenue.amount > 0:
        return None, (revenue.amount - variable_total.amount) / revenue.amount
    return None, None


def _margin_target(
    fixed: Money, ratio: Decimal | None, target_margin: Decimal
) -> tuple[Money | None, str]:
    """Monthly revenue for the target margin, fixed ÷ (contribution ratio − margin), and its status."""
    if ratio is None:
        return None, "unknown"
    if ratio > target_margin:
        return fixed / (ratio - target_margin), "reachable"
    return None, "not reachable"


def _verdict(
    base: BreakEven, contribution: Money | None, fixed: Money, per_month: Decimal | None
) -> BreakEven:
    """The break-even status and its sentence; ``per_month`` is units sold a month when recorded."""
    unit = base.unit
    if contribution is None:
        why = (
            "no units sold in the window"
            if base.units_sold == 0
            else "no price per unit in the data or config"
        )
        return replace(base, text=f"unknown ({why})")
    if contribution.amount <= 0:
        text = (
            f"not reachable: each {unit} loses {(-contribution).quantize()} before fixed costs "
            f"(price {base.price} vs variable cost {base.variable_cost})"
        )
        return replace(
            base, status="not reachable", text=text, contribution=contribution.quantize()
        )
    exact = fixed.amount / contribution.amount
    needed = books.ceil_units(exact)
    plural = unit if needed == 1 else _plural(unit)
    now = (
        f"now {fmt_months(per_month)}/month"
        if per_month is not None
        else f"{unit}s sold are not recorded"
    )
    text = f"{needed} {plural}/month ({now})"
    return replace(
        base,
        status="reachable",
        text=text,
        contribution=contribution.quantize(),
        units_needed=needed,
        units_exact=books.round2(exact),
    )


def _plural(unit: str) -> str:
    if unit.endswith(("s", "x", "ch", "sh")):
        return unit + "es"
    if unit.endswith("y") and unit[-2:-1] not in "aeiou":
        return unit[:-1] + "ies"
    return unit + "s"
