"""Finance: P&L by entity and month, burn, runway, break-even, revenue targets, capital deployment and
financial rules, every figure traced to the ledger rows (or booking, trip and timesheet rows) it sums.

Formulas are documented in ``docs/metrics.md`` ("Finance"). Conventions:

- Months are calendar months. A *trailing window* is the last N complete months before ``as_of``
  (the as_of month counts only when as_of is its last day), never before the entity's first ledger month.
- P&L is accrual: every ledger line counts, cash or not. Burn is cash: only lines with ``cash=True``.
- Money is rounded to cents only where a figure is shown; sums are exact.
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import ROUND_FLOOR, Decimal
from typing import Literal

from pydantic import BaseModel, Field

from execbrief.analysis import books
from execbrief.config import Config, Model
from execbrief.findings import AnalysisResult, CostTier, Effort, Finding, Metric, Severity
from execbrief.hookspecs import hookimpl
from execbrief.records.bookings import Booking, BookingStatus
from execbrief.records.handoff import Fact
from execbrief.records.ledger import AccountType, CashBalance, Transaction
from execbrief.records.timesheets import TimeEntry
from execbrief.records.trips import Trip
from execbrief.snapshot import EntityInfo, Provenance, Record, Snapshot
from execbrief.values import Cadence, Money, MoneyRange, Period

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
#: Operating-expense categories that vary with each unit sold (matched as whole words): the cost
#: of delivering one more charter, job, night or trip. Cost-of-sales accounts are always variable.
DEFAULT_VARIABLE_WORDS: tuple[str, ...] = (
    "fuel", "diesel", "commission", "commissions", "platform fees", "host fees", "merchant fees",
    "processing fees", "payment processing", "captains", "crew", "cleaning", "turnover", "turnovers",
    "dump fees", "disposal", "tipping fees", "travel",
)  # fmt: skip
#: Average Gregorian month in days, for turning months of runway into a date.
DAYS_PER_MONTH = Decimal("365.25") / 12
PORTFOLIO = "portfolio"

RuleKind = Literal["cash-months", "max-spend", "equity-agreement"]


class RuleSpec(Model):
    """One financial rule of ``[[analysis.finance.rules]]``.

    ``cash-months``: cash covers ``months`` of net burn at the worst month of the runway window.
    ``max-spend``: no single cash spend over ``limit`` without a revenue case in its memo or reference.
    ``equity-agreement``: no equity promised (handoff fact ``equity_obligations``) without a signed
    agreement (fact ``equity_agreement_signed`` = yes, or the promise itself says it is signed).
    """

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    kind: RuleKind
    months: Decimal | None = Field(default=None, gt=0)
    limit: Decimal | None = Field(default=None, gt=0)
    description: str | None = None


def _default_rules() -> list[RuleSpec]:
    return [
        RuleSpec(id="keep-cash", kind="cash-months"),
        RuleSpec(id="spend-needs-revenue-case", kind="max-spend"),
        RuleSpec(id="equity-needs-agreement", kind="equity-agreement"),
    ]


class FinanceOptions(Model):
    """``[analysis.finance]``: the model's assumptions and the financial rules.

    ``target_margin`` is a fraction (0.15 = 15% net margin). ``runway_window`` is the number of
    trailing complete months whose net-burn range runway divides by; ``window_months`` the months
    break-even prices and costs are measured over. ``revenue_case_markers`` are the words (matched
    as whole words, any case) that make a memo or reference count as a revenue case.
    """

    target_margin: Decimal = Field(default=Decimal("0.15"), ge=0, lt=1)
    min_cash_months: Decimal = Field(default=Decimal(3), gt=0)
    max_unreviewed_spend: Decimal = Field(default=Decimal(2500), gt=0)
    runway_window: int = Field(default=3, ge=1, le=24)
    window_months: int = Field(default=6, ge=1, le=24)
    revenue_case_markers: list[str] = Field(
        default_factory=lambda: ["revenue case", "business case", "roi", "payback", "approved"]
    )
    rules: list[RuleSpec] = Field(default_factory=_default_rules)


class FinanceEntityOptions(Model):
    """``[entities.settings.finance]``: what the data cannot say about one entity.

    ``unit`` names the break-even unit (charter, job, billable hour, trip, night, ...);
    ``unit_source`` where units are counted (``bookings``, ``trips``, ``timesheets``, or ``none``).
    ``unit_price``, ``variable_cost`` (per unit) and ``fixed_costs`` (per month) override what is
    measured. ``variable_categories`` are words (matched as whole words in the last account segment,
    any case) naming operating-expense accounts that are variable costs; it replaces the default
    list ``DEFAULT_VARIABLE_WORDS`` (``[]`` makes every operating expense fixed).
    """

    unit: str | None = None
    unit_source: Literal["bookings", "trips", "timesheets", "none"] | None = None
    unit_price: Decimal | None = Field(default=None, gt=0)
    variable_cost: Decimal | None = Field(default=None, ge=0)
    fixed_costs: Decimal | None = Field(default=None, ge=0)
    variable_categories: list[str] | None = None


# --------------------------------------------------------------------------- result types


@dataclass(frozen=True)
class MonthLine:
    """Accrual P&L of one entity (or the portfolio) for one month."""

    period: str
    revenue: Money
    cost_of_sales: Money
    operating_expenses: Money
    expenses: Money
    net: Money
    provenance: tuple[Provenance, ...] = ()


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

    def month(self, period: str) -> MonthLine | None:
        """The P&L line of one month."""
        return next((m for m in self.months if m.period == period), None)

    def totals(self, periods: Sequence[str] | None = None) -> MonthLine:
        """Revenue, expenses and net summed over ``periods`` (default: every month)."""
        lines = [m for m in self.months if periods is None or m.period in periods]
        currency = lines[0].revenue.currency if lines else "USD"
        label = f"{lines[0].period}..{lines[-1].period}" if lines else ""
        return MonthLine(
            label,
            books.total((m.revenue for m in lines), currency),
            books.total((m.cost_of_sales for m in lines), currency),
            books.total((m.operating_expenses for m in lines), currency),
            books.total((m.expenses for m in lines), currency),
            books.total((m.net for m in lines), currency),
            tuple(p for m in lines for p in m.provenance),
        )


@dataclass(frozen=True)
class RuleCheck:
    """One financial rule checked against the data: ``status`` is pass, fail or unknown."""

    rule: str
    kind: str
    description: str
    status: str
    evidence: str
    entity: str | None = None
    provenance: tuple[Provenance, ...] = ()


@dataclass(frozen=True)
class DeploymentAction:
    """One action of the capital deployment framework: one rule's findings in one tier, across
    the entities it applies to. ``monthly_effect`` sums the findings' expected monthly effects
    (None when none of them states one)."""

    tier: CostTier
    title: str
    rule: str
    entities: tuple[str | None, ...]
    finding_ids: tuple[str, ...]
    severity: Severity
    monthly_effect: Money | MoneyRange | None
    basis: str
    provenance: tuple[Provenance, ...] = ()
    recommendations: tuple[tuple[str | None, str], ...] = ()


@dataclass(frozen=True)
class FinanceResult(AnalysisResult):
    """Finance's typed result: per-entity finance, the portfolio roll-up and the rule checks."""

    currency: str = "USD"
    periods: tuple[str, ...] = ()
    window_3m: tuple[str, ...] = ()
    window_6m: tuple[str, ...] = ()
    window_12m: tuple[str, ...] = ()
    entities: tuple[EntityFinance, ...] = ()
    portfolio: EntityFinance | None = None
    rules: tuple[RuleCheck, ...] = ()
    rollup_ok: bool = True
    rollup_problems: tuple[str, ...] = ()

    def for_entity(self, entity: str) -> EntityFinance | None:
        """The finance of one entity (``"portfolio"`` for the roll-up)."""
        if entity == PORTFOLIO:
            return self.portfolio
        return next((e for e in self.entities if e.entity == entity), None)


# --------------------------------------------------------------------------- helpers


def finance_options(config: Config | None) -> FinanceOptions:
    """The validated ``[analysis.finance]`` options (defaults when absent)."""
    options = config.analysis_options("finance") if config is not None else None
    return options if isinstance(options, FinanceOptions) else FinanceOptions()


def entity_options(config: Config | None, entity: str) -> FinanceEntityOptions:
    """The validated ``[entities.settings.finance]`` of one entity (defaults when absent)."""
    if config is None:
        return FinanceEntityOptions()
    try:
        options = config.entity(entity).setting("finance")
    except KeyError:
        return FinanceEntityOptions()
    return options if isinstance(options, FinanceEntityOptions) else FinanceEntityOptions()


def ledger_periods(snapshot: Snapshot) -> list[Period]:
    """Every month from the first ledger line (or balance) of any entity to the as_of month."""
    dates = [t.date for t in snapshot.records(Transaction)] + [
        b.date for b in snapshot.records(CashBalance)
    ]
    dates = [d for d in dates if d <= snapshot.as_of]
    if not dates:
        return []
    return books.month_range(books.month_of(min(dates)), books.month_of(snapshot.as_of))


def _range(values: Sequence[Money], currency: str) -> MoneyRange | None:
    if not values:
        return None
    low = min(v.amount for v in values)
    high = max(v.amount for v in values)
    return MoneyRange(Money(low, currency), Money(high, currency), Cadence.MONTH)


def _fmt_months(value: Decimal) -> str:
    return f"{books.round2(value).normalize():f}".rstrip(".")


def _months_to_date(start: date, months: Decimal) -> date:
    days = int((months * DAYS_PER_MONTH).to_integral_value(rounding=ROUND_FLOOR))
    try:
        return start + timedelta(days=days)
    except OverflowError:  # a burn of a cent against thousands: runway past the calendar's end
        return date.max


def _variable_category(tx: Transaction, options: FinanceEntityOptions) -> bool:
    words = (
        DEFAULT_VARIABLE_WORDS
        if options.variable_categories is None
        else tuple(options.variable_categories)
    )
    pattern = _words_pattern(words)
    return pattern is not None and bool(pattern.search(tx.category.lower()))


@functools.cache
def _words_pattern(words: tuple[str, ...]) -> re.Pattern[str] | None:
    if not words:
        return None
    return re.compile(
        r"(?<![a-z0-9])(?:" + "|".join(re.escape(w.lower()) for w in words) + r")(?![a-z0-9])"
    )


# --------------------------------------------------------------------------- the pieces


def pnl_months(
    rows: Sequence[Transaction], periods: Sequence[Period], currency: str
) -> tuple[MonthLine, ...]:
    """Accrual P&L per month: income, cost of sales and operating expenses (every ledger line)."""
    by_month: dict[Period, list[Transaction]] = defaultdict(list)
    for tx in rows:
        by_month[books.month_of(tx.date)].append(tx)
    out = []
    for period in periods:
        txs = [
            t
            for t in by_month.get(period, [])
            if t.account_type in (*books.COSTS, AccountType.INCOME)
        ]
        revenue = books.total(
            (t.amount for t in txs if t.account_type == AccountType.INCOME), currency
        )
        cos = books.total(
            (t.amount for t in txs if t.account_type == AccountType.COST_OF_SALES), currency
        )
        opex = books.total(
            (t.amount for t in txs if t.account_type == AccountType.EXPENSE), currency
        )
        out.append(
            MonthLine(
                str(period), revenue, cos, opex, cos + opex, revenue - cos - opex, books.cite(txs)
            )
        )
    return tuple(out)


def burn_months(
    rows: Sequence[Transaction], periods: Sequence[Period], currency: str
) -> tuple[BurnMonth, ...]:
    """Cash in, gross burn (cash out) and net burn (out - in) per month, from cash lines only."""
    by_month: dict[Period, list[Transaction]] = defaultdict(list)
    for tx in rows:
        if tx.cash:
            by_month[books.month_of(tx.date)].append(tx)
    out = []
    for period in periods:
        txs = by_month.get(period, [])
        effects = [books.cash_effect(t) for t in txs]
        cash_in = books.total((e for e in effects if e.amount > 0), currency)
        cash_out = -books.total((e for e in effects if e.amount < 0), currency)
        out.append(BurnMonth(str(period), cash_in, cash_out, cash_out - cash_in, books.cite(txs)))
    return tuple(out)


def cash_at(
    balances: Sequence[CashBalance], rows: Sequence[Transaction], as_of: date
) -> tuple[Money, date, tuple[Provenance, ...]] | None:
    """Cash on ``as_of``: the latest stated balance (opening or assertion) of each cash account on or
    before it, plus the cash lines after it. An opening balance stands at the start of its day (that
    day's lines count after it), an assertion at the end. A computed ``closing`` balance is used only
    when no balance is stated, since a stated balance is the evidence and a closing is arithmetic."""
    usable = [b for b in balances if b.date <= as_of]
    stated = [b for b in usable if b.kind != "closing"] or usable
    latest: dict[str, CashBalance] = {}
    for balance in stated:
        current = latest.get(balance.account)
        if current is None or balance.date >= current.date:
            latest[balance.account] = balance
    if not latest:
        return None
    anchor = max(b.date for b in latest.values())
    at_start = all(b.kind == "opening" for b in latest.values() if b.date == anchor)
    currency = next(iter(latest.values())).balance.currency
    after = [
        t
        for t in rows
        if t.cash and (t.date >= anchor if at_start else t.date > anchor) and t.date <= as_of
    ]
    cash = books.total((b.balance for b in latest.values()), currency) + books.total(
        (books.cash_effect(t) for t in after), currency
    )
    provenance = tuple(
        b.provenance for b in sorted(latest.values(), key=lambda b: b.account)
    ) + books.cite(after)
    return cash, as_of, provenance


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
        text = f"{_fmt_months(months_low)}+ months (out {out_low.isoformat()} at the worst month's burn)"
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
        f"{_fmt_months(months_low)}–{_fmt_months(months_high)} months "
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
    start, end = window[0].start, window[-1].end
    in_window = [t for t in rows if start <= t.date <= end]
    n = Decimal(len(window))
    income_rows = [t for t in in_window if t.account_type == AccountType.INCOME]
    variable_rows = [
        t
        for t in in_window
        if t.account_type == AccountType.COST_OF_SALES
        or (t.account_type == AccountType.EXPENSE and _variable_category(t, options))
    ]
    fixed_rows = [
        t
        for t in in_window
        if t.account_type == AccountType.EXPENSE and not _variable_category(t, options)
    ]
    revenue = books.total((t.amount for t in income_rows), currency)
    variable_total = books.total((t.amount for t in variable_rows), currency)
    revenue_per_month = revenue / n
    units, unit_price, unit_cost, unit_rows = _units(snapshot, info.id, source, window)
    provenance = books.cite(in_window) + books.cite(unit_rows)

    if options.fixed_costs is not None:
        fixed, fixed_source = Money(options.fixed_costs, currency), "config"
    else:
        fixed, fixed_source = books.total((t.amount for t in fixed_rows), currency) / n, "ledger"
    price: Money | None
    if options.unit_price is not None:
        price, price_source = Money(options.unit_price, currency), "config"
    elif unit_price is not None:
        price, price_source = unit_price, source
    elif units > 0 and revenue.amount > 0:
        price, price_source = revenue / units, "ledger"
    else:
        price, price_source = None, None
    variable: Money | None
    if options.variable_cost is not None:
        variable, variable_source = Money(options.variable_cost, currency), "config"
    elif unit_cost is not None:
        variable, variable_source = unit_cost, source
    elif units > 0:
        variable, variable_source = variable_total / units, "ledger"
    else:
        variable, variable_source = None, None

    # Contribution ratio for revenue targets: per unit when a price is known, else from the ledger.
    ratio: Decimal | None = None
    contribution: Money | None = None
    if price is not None and variable is not None:
        contribution = price - variable
        ratio = contribution.amount / price.amount
    elif revenue.amount > 0:
        ratio = (revenue.amount - variable_total.amount) / revenue.amount

    be_revenue = fixed / ratio if ratio is not None and ratio > 0 else None
    target_revenue: Money | None = None
    target_status = "unknown"
    if ratio is not None:
        if ratio > target_margin:
            target_revenue = (fixed / (ratio - target_margin)).quantize()
            target_status = "reachable"
        else:
            target_status = "not reachable"
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
        revenue_per_month=revenue_per_month.quantize(),
        target_margin=target_margin,
        break_even_revenue=be_revenue.quantize() if be_revenue is not None else None,
        target_revenue=target_revenue,
        target_status=target_status,
        contribution_ratio=ratio,
        provenance=provenance,
    )
    if contribution is None:
        why = (
            "no units sold in the window"
            if units == 0
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
    now = f"now {_fmt_months(units / n)}/month" if unit_rows else f"{unit}s sold are not recorded"
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


# --------------------------------------------------------------------------- rules


_NEGATED_SIGNED = re.compile(
    r"\b(?:un|not\s+|never\s+|no\s+)(?:yet\s+)?signed\b|\bunsigned\b", re.IGNORECASE
)
_SIGNED = re.compile(r"\bsigned\b", re.IGNORECASE)
_NOTHING = re.compile(r"^\s*(?:none|no|n/?a|nil|0|0%|-|—)\s*\.?\s*$", re.IGNORECASE)


def _says_signed(text: str) -> bool:
    return bool(_SIGNED.search(text)) and not _NEGATED_SIGNED.search(text)


def check_rules(
    snapshot: Snapshot,
    options: FinanceOptions,
    entities: Sequence[EntityFinance],
    portfolio: EntityFinance | None,
) -> tuple[RuleCheck, ...]:
    """Check every configured rule against the data: pass, fail (with evidence) or unknown."""
    out: list[RuleCheck] = []
    for rule in options.rules:
        if rule.kind == "cash-months":
            out.extend(_rule_cash(rule, options, entities, portfolio))
        elif rule.kind == "max-spend":
            out.extend(_rule_spend(rule, options, snapshot))
        else:
            out.extend(_rule_equity(rule, snapshot))
    return tuple(out)


def _rule_cash(
    rule: RuleSpec,
    options: FinanceOptions,
    entities: Sequence[EntityFinance],
    portfolio: EntityFinance | None,
) -> list[RuleCheck]:
    months = rule.months or options.min_cash_months
    description = (
        rule.description
        or f"Keep at least {_fmt_months(months)} months of cash at the worst month's net burn"
    )
    out = []
    for fin in [*entities, *([portfolio] if portfolio else [])]:
        run = fin.runway
        if run is None or not fin.has_ledger:
            continue
        entity = None if fin.entity == PORTFOLIO else fin.entity
        if run.status == "not burning":
            status, evidence = (
                "pass",
                f"{fin.name}: not burning (net burn {run.burn}); cash {_money_text(run.cash)}",
            )
        elif run.status in ("no cash", "no data"):
            status, evidence = "unknown", f"{fin.name}: {run.text}"
        else:
            low = run.months_low if run.months_low is not None else Decimal(0)
            status = "pass" if low >= months else "fail"
            evidence = (
                f"{fin.name}: cash {_money_text(run.cash)} covers {_fmt_months(low)} months at the worst month's "
                f"net burn {run.burn.high.quantize() if run.burn else '?'} (rule: {_fmt_months(months)})"
            )
        out.append(
            RuleCheck(rule.id, rule.kind, description, status, evidence, entity, run.provenance)
        )
    return out


def _money_text(money: Money | None) -> str:
    return str(money.quantize()) if money is not None else "unknown"


def _rule_spend(rule: RuleSpec, options: FinanceOptions, snapshot: Snapshot) -> list[RuleCheck]:
    limit = Money(rule.limit or options.max_unreviewed_spend, snapshot.currency)
    description = rule.description or (
        f"No single spend over {limit} without a revenue case (recurring payments such as payroll excluded)"
    )
    markers = [
        re.compile(rf"\b{re.escape(m)}\b", re.IGNORECASE) for m in options.revenue_case_markers
    ]
    out = []
    for info in snapshot.entities:
        rows = [
            t
            for t in snapshot.records(Transaction, info.id)
            if t.account_type in (*books.COSTS, AccountType.ASSET)
            and t.amount > limit
            and t.date <= snapshot.as_of
        ]
        if not snapshot.records(Transaction, info.id):
            continue
        recurring = books.recurring_payees(snapshot.records(Transaction, info.id))
        rows = [t for t in rows if books.payee(t) not in recurring]
        bad = [
            t for t in rows if not any(m.search(f"{t.memo} {t.reference or ''}") for m in markers)
        ]
        if bad:
            listed = "; ".join(
                f"{t.date} {t.account} {t.amount.quantize()} ({t.memo or 'no memo'})"
                for t in bad[:5]
            )
            more = f" and {len(bad) - 5} more" if len(bad) > 5 else ""
            evidence = f"{info.name}: {len(bad)} spend(s) over {limit} with no revenue case: {listed}{more}"
            out.append(
                RuleCheck(
                    rule.id,
                    rule.kind,
                    description,
                    "fail",
                    evidence,
                    info.id,
                    tuple(t.provenance for t in bad),
                )
            )
        else:
            evidence = f"{info.name}: {len(rows)} spend(s) over {limit}, each with a revenue case"
            out.append(
                RuleCheck(
                    rule.id,
                    rule.kind,
                    description,
                    "pass",
                    evidence,
                    info.id,
                    tuple(t.provenance for t in rows),
                )
            )
    return out


def _rule_equity(rule: RuleSpec, snapshot: Snapshot) -> list[RuleCheck]:
    description = rule.description or "No equity promised without a signed agreement"
    out = []
    for info in snapshot.entities:
        facts = snapshot.records(Fact, info.id)
        promises = [
            f
            for f in facts
            if f.key == "equity_obligations" and not _NOTHING.match(f.raw) and f.value is not False
        ]
        if not promises:
            continue
        agreements = [f for f in facts if f.key == "equity_agreement_signed"]
        signed = [
            f
            for f in agreements
            if f.value is True or (isinstance(f.value, str) and _says_signed(f.raw))
        ]
        unsigned = [f for f in agreements if f not in signed]
        promise_signed = [f for f in promises if _says_signed(f.raw)]
        cited = tuple(f.provenance for f in (*promises, *agreements))
        quoted = "; ".join(f"{f.label}: {f.raw}" for f in (*promises, *agreements))
        if (signed or promise_signed) and not unsigned:
            out.append(
                RuleCheck(
                    rule.id,
                    rule.kind,
                    description,
                    "pass",
                    f"{info.name}: {quoted}",
                    info.id,
                    cited,
                )
            )
        else:
            reason = (
                "the agreement is not signed"
                if unsigned or agreements
                else "no signed agreement is recorded"
            )
            out.append(
                RuleCheck(
                    rule.id,
                    rule.kind,
                    description,
                    "fail",
                    f"{info.name}: {quoted} — {reason}",
                    info.id,
                    cited,
                )
            )
    return out


# --------------------------------------------------------------------------- capital deployment

_REVENUE_TAGS = frozenset(
    {"revenue", "sales", "marketing", "pricing", "billing", "growth", "conversion"}
)


def tier_of(finding: Finding) -> CostTier:
    """A finding's capital-deployment tier: its own ``cost_tier``, else revenue-producing when it is
    tagged as revenue work or has a positive monthly effect tagged so, else zero-cost for an hours'
    job and low-cost for anything longer."""
    if finding.cost_tier is not None:
        return finding.cost_tier
    if _REVENUE_TAGS & set(finding.tags):
        return CostTier.REVENUE
    return CostTier.ZERO_COST if finding.effort == Effort.HOURS else CostTier.LOW_COST


def _effect_key(effect: Money | MoneyRange | None) -> Decimal:
    if effect is None:
        return Decimal(0)
    return effect.amount if isinstance(effect, Money) else effect.midpoint.amount


def deploy_capital(findings: Sequence[Finding]) -> dict[CostTier, list[DeploymentAction]]:
    """Actions from every analysis' findings, sorted into zero-cost, low-cost and revenue-producing
    tiers. Findings of one rule in one tier become one action (the same fix at several entities);
    within a tier, largest expected monthly effect first, then severity, then rule. Info findings
    are left out (nothing to act on)."""
    groups: dict[tuple[CostTier, str], list[Finding]] = defaultdict(list)
    for finding in findings:
        if finding.severity != Severity.INFO:
            groups[(tier_of(finding), finding.rule)].append(finding)
    tiers: dict[CostTier, list[DeploymentAction]] = {tier: [] for tier in CostTier}
    for (tier, rule), group in groups.items():
        group.sort(key=lambda f: (f.severity.rank, f.id))
        effects = [f.monthly_effect for f in group if f.monthly_effect is not None]
        effect: Money | MoneyRange | None = None
        for item in effects:
            effect = item if effect is None else _add_effects(effect, item)
        tiers[tier].append(
            DeploymentAction(
                tier,
                group[0].recommendation or group[0].title,
                rule,
                tuple(dict.fromkeys(f.entity for f in group)),
                tuple(f.id for f in group),
                group[0].severity,
                effect,
                "set by the analysis"
                if group[0].cost_tier is not None
                else "inferred from tags and effort",
                tuple(p for f in group for p in f.provenance[:2]),
                tuple((f.entity, f.recommendation or f.title) for f in group),
            )
        )
    for tier in tiers:
        tiers[tier].sort(key=lambda a: (-_effect_key(a.monthly_effect), a.severity.rank, a.rule))
    return tiers


def _add_effects(a: Money | MoneyRange, b: Money | MoneyRange) -> Money | MoneyRange:
    if isinstance(a, Money) and isinstance(b, Money):
        return a + b
    low = a if isinstance(a, MoneyRange) else MoneyRange.point(a)
    high = b if isinstance(b, MoneyRange) else MoneyRange.point(b)
    if low.cadence is not None and high.cadence is not None and low.cadence != high.cadence:
        high = high.per(low.cadence)
    return low + high


# --------------------------------------------------------------------------- the analysis


def _entity_finance(
    snapshot: Snapshot,
    info: EntityInfo,
    periods: Sequence[Period],
    options: FinanceOptions,
    eopts: FinanceEntityOptions,
) -> EntityFinance:
    currency = snapshot.currency
    rows = [t for t in snapshot.records(Transaction, info.id) if t.date <= snapshot.as_of]
    balances = snapshot.records(CashBalance, info.id)
    months = pnl_months(rows, periods, currency)
    burn = burn_months(rows, periods, currency)
    first_dates = [t.date for t in rows] + [b.date for b in balances if b.date <= snapshot.as_of]
    first = books.month_of(min(first_dates)) if first_dates else None
    by_period = {b.period: b for b in burn}

    def window_range(n: int, gross: bool) -> MoneyRange | None:
        if first is None:
            return None
        window = books.trailing(n, snapshot.as_of, first)
        values = [
            by_period[str(p)].gross_burn if gross else by_period[str(p)].net_burn
            for p in window
            if str(p) in by_period
        ]
        return _range(values, currency)

    net3, net6 = window_range(3, False), window_range(6, False)
    runway_burn = window_range(options.runway_window, False)
    found = cash_at(balances, rows, snapshot.as_of)
    cash_source = None
    cash: Money | None = None
    cash_prov: tuple[Provenance, ...] = ()
    if found is not None:
        cash, _, cash_prov = found
        cash_source = "ledger"
    window_cite: tuple[Provenance, ...] = ()
    if first is not None:
        window_cite = tuple(
            p
            for b in burn
            if b.period
            in {str(m) for m in books.trailing(options.runway_window, snapshot.as_of, first)}
            for p in b.provenance
        )
    run = runway(
        cash,
        runway_burn,
        snapshot.as_of,
        cash_source=cash_source,
        provenance=cash_prov + window_cite,
    )
    be_window = (
        books.trailing(options.window_months, snapshot.as_of, first) if first is not None else []
    )
    be = break_even(snapshot, info, rows, be_window, eopts, options.target_margin)
    return EntityFinance(
        info.id,
        info.name,
        info.kind,
        months,
        burn,
        net3,
        net6,
        window_range(3, True),
        window_range(6, True),
        run,
        be,
        has_ledger=bool(rows or balances),
    )


def _portfolio(
    snapshot: Snapshot,
    entities: Sequence[EntityFinance],
    periods: Sequence[Period],
    options: FinanceOptions,
) -> EntityFinance:
    currency = snapshot.currency
    with_ledger = [e for e in entities if e.has_ledger]
    months = []
    burn = []
    for index, period in enumerate(periods):
        lines = [e.months[index] for e in with_ledger]
        burns = [e.burn[index] for e in with_ledger]
        months.append(
            MonthLine(
                str(period),
                books.total((m.revenue for m in lines), currency),
                books.total((m.cost_of_sales for m in lines), currency),
                books.total((m.operating_expenses for m in lines), currency),
                books.total((m.expenses for m in lines), currency),
                books.total((m.net for m in lines), currency),
                tuple(p for m in lines for p in m.provenance),
            )
        )
        burn.append(
            BurnMonth(
                str(period),
                books.total((b.cash_in for b in burns), currency),
                books.total((b.gross_burn for b in burns), currency),
                books.total((b.net_burn for b in burns), currency),
                tuple(p for b in burns for p in b.provenance),
            )
        )
    first = periods[0] if periods else None
    by_period = {b.period: b for b in burn}

    def window_range(n: int, gross: bool) -> MoneyRange | None:
        if first is None:
            return None
        window = books.trailing(n, snapshot.as_of, first)
        return _range(
            [
                by_period[str(p)].gross_burn if gross else by_period[str(p)].net_burn
                for p in window
                if str(p) in by_period
            ],
            currency,
        )

    cashes = [
        e.runway.cash for e in with_ledger if e.runway is not None and e.runway.cash is not None
    ]
    missing = [e.name for e in with_ledger if e.runway is None or e.runway.cash is None]
    cash = books.total(cashes, currency) if cashes else None
    prov = tuple(
        p
        for e in with_ledger
        if e.runway and e.runway.cash is not None
        for p in e.runway.provenance[:2]
    )
    run = runway(
        cash,
        window_range(options.runway_window, False),
        snapshot.as_of,
        cash_source="ledger",
        provenance=prov,
    )
    if missing and cash is not None:
        run = Runway(
            run.status,
            f"{run.text}; cash unknown for {', '.join(missing)}",
            run.cash,
            run.cash_date,
            "ledger (partial)",
            run.burn,
            run.months_low,
            run.months_high,
            run.out_low,
            run.out_high,
            run.provenance,
        )
    return EntityFinance(
        PORTFOLIO,
        snapshot.portfolio,
        "portfolio",
        tuple(months),
        tuple(burn),
        window_range(3, False),
        window_range(6, False),
        window_range(3, True),
        window_range(6, True),
        run,
        None,
        bool(with_ledger),
    )


def _metrics(
    result_entities: Sequence[EntityFinance],
    as_of: date,
    windows: tuple[tuple[str, ...], tuple[str, ...]],
) -> list[Metric]:
    out: list[Metric] = []
    for fin in result_entities:
        entity = None if fin.entity == PORTFOLIO else fin.entity
        if not fin.has_ledger:
            continue
        for line in fin.months:
            for mid, label, value, formula in (
                ("finance.revenue", "Revenue", line.revenue, "sum of income lines in the month"),
                (
                    "finance.expenses",
                    "Expenses",
                    line.expenses,
                    "sum of cost-of-sales and expense lines in the month",
                ),
                ("finance.net", "Net income", line.net, "revenue - expenses"),
            ):
                out.append(
                    Metric(
                        mid,
                        label,
                        value.quantize(),
                        entity,
                        line.period,
                        None,
                        formula,
                        line.provenance,
                    )
                )
        for b in fin.burn:
            out.append(
                Metric(
                    "finance.burn.gross",
                    "Gross burn",
                    b.gross_burn.quantize(),
                    entity,
                    b.period,
                    None,
                    "sum of cash paid out in the month",
                    b.provenance,
                )
            )
            out.append(
                Metric(
                    "finance.burn.net",
                    "Net burn",
                    b.net_burn.quantize(),
                    entity,
                    b.period,
                    None,
                    "cash out - cash in in the month",
                    b.provenance,
                )
            )
        for mid, label, rng, window in (
            ("finance.burn.net.3m", "Net burn, trailing 3 months", fin.net_burn_3m, windows[0]),
            ("finance.burn.net.6m", "Net burn, trailing 6 months", fin.net_burn_6m, windows[1]),
            (
                "finance.burn.gross.3m",
                "Gross burn, trailing 3 months",
                fin.gross_burn_3m,
                windows[0],
            ),
            (
                "finance.burn.gross.6m",
                "Gross burn, trailing 6 months",
                fin.gross_burn_6m,
                windows[1],
            ),
        ):
            if rng is not None:
                out.append(
                    Metric(
                        mid,
                        label,
                        rng.quantize(),
                        entity,
                        None,
                        None,
                        f"lowest..highest monthly value over {window[0] if window else '?'}..{window[-1] if window else '?'} "
                        "(docs/metrics.md#finance)",
                        books.merge_citations(
                            p for b in fin.burn if b.period in window for p in b.provenance
                        ),
                    )
                )
        run = fin.runway
        if run is not None:
            out.append(
                Metric(
                    "finance.cash",
                    "Cash",
                    run.cash.quantize() if run.cash else None,
                    entity,
                    as_of.isoformat(),
                    None,
                    "latest balance + cash lines since (docs/metrics.md#cash)",
                    run.provenance,
                )
            )
            out.append(
                Metric(
                    "finance.runway",
                    "Runway",
                    run.text,
                    entity,
                    None,
                    None,
                    "cash ÷ net burn over the trailing window (docs/metrics.md#runway)",
                    run.provenance,
                )
            )
            if run.months_low is not None:
                out.append(
                    Metric(
                        "finance.runway.months_low",
                        "Runway, worst month (months)",
                        run.months_low,
                        entity,
                        None,
                        "months",
                        "cash ÷ highest monthly net burn",
                        run.provenance,
                    )
                )
            if run.months_high is not None:
                out.append(
                    Metric(
                        "finance.runway.months_high",
                        "Runway, best month (months)",
                        run.months_high,
                        entity,
                        None,
                        "months",
                        "cash ÷ lowest monthly net burn",
                        run.provenance,
                    )
                )
            if run.out_low is not None:
                out.append(
                    Metric(
                        "finance.runway.out_date",
                        "Cash runs out (earliest)",
                        run.out_low,
                        entity,
                        None,
                        None,
                        "as_of + months × 365.25/12 days",
                        run.provenance,
                    )
                )
        be = fin.break_even
        if be is not None:
            out.append(
                Metric(
                    "finance.breakeven",
                    f"Break-even ({be.unit}s/month)",
                    be.text,
                    entity,
                    None,
                    None,
                    "fixed costs ÷ (price − variable cost per unit), rounded up",
                    be.provenance,
                )
            )
            if be.units_needed is not None:
                out.append(
                    Metric(
                        "finance.breakeven.units",
                        "Break-even units per month",
                        be.units_needed,
                        entity,
                        None,
                        be.unit,
                        "ceil(fixed ÷ contribution per unit)",
                        be.provenance,
                    )
                )
            for mid, label, figure in (
                ("finance.unit.price", "Price per unit", be.price),
                ("finance.unit.variable_cost", "Variable cost per unit", be.variable_cost),
                ("finance.unit.contribution", "Contribution per unit", be.contribution),
                ("finance.fixed_costs", "Fixed costs per month", be.fixed_costs),
                (
                    "finance.target.breakeven_revenue",
                    "Revenue to break even (per month)",
                    be.break_even_revenue,
                ),
                (
                    "finance.target.margin_revenue",
                    "Revenue for the target margin (per month)",
                    be.target_revenue,
                ),
                (
                    "finance.revenue.monthly",
                    "Revenue per month (window average)",
                    be.revenue_per_month,
                ),
            ):
                if figure is not None:
                    out.append(
                        Metric(
                            mid,
                            label,
                            figure,
                            entity,
                            None,
                            None,
                            "see docs/metrics.md#break-even",
                            be.provenance,
                        )
                    )
    return out


def _findings(
    result: Sequence[EntityFinance],
    portfolio: EntityFinance | None,
    rules: Sequence[RuleCheck],
    options: FinanceOptions,
) -> list[Finding]:
    out: list[Finding] = []
    for fin in result:
        be = fin.break_even
        if be is not None and be.status == "not reachable":
            out.append(
                Finding(
                    f"finance.breakeven-unreachable:{fin.entity}",
                    "finance.breakeven-unreachable",
                    f"{fin.name} loses money on every {be.unit}",
                    Severity.HIGH,
                    fin.entity,
                    be.text,
                    f"Raise the price per {be.unit} above its variable cost ({be.variable_cost}) or cut that cost.",
                    Effort.DAYS,
                    3,
                    ("finance", "pricing", "shortfall"),
                    be.provenance,
                    None,
                    CostTier.ZERO_COST,
                )
            )
        elif (
            be is not None
            and be.break_even_revenue is not None
            and be.revenue_per_month is not None
            and be.revenue_per_month < be.break_even_revenue
        ):
            gap = be.break_even_revenue - be.revenue_per_month
            loss = (gap * be.contribution_ratio) if be.contribution_ratio is not None else gap
            units = f" ({be.text})" if be.units_needed is not None else ""
            out.append(
                Finding(
                    f"finance.below-breakeven:{fin.entity}",
                    "finance.below-breakeven",
                    f"{fin.name} is below break-even",
                    Severity.MEDIUM,
                    fin.entity,
                    f"Revenue averages {be.revenue_per_month}/mo over {be.window[0]}..{be.window[-1]} against "
                    f"{be.break_even_revenue}/mo needed to break even{units}.",
                    f"Add {gap.quantize()}/mo of revenue (or cut fixed costs of {be.fixed_costs}/mo).",
                    Effort.WEEKS,
                    3,
                    ("finance", "revenue", "shortfall"),
                    be.provenance,
                    loss.quantize(),
                    CostTier.REVENUE,
                )
            )
    # The cash-months rule, when configured, already reports a short runway with its evidence.
    cash_rule = any(rule.kind == "cash-months" for rule in options.rules)
    for fin in [] if cash_rule else [*result, *([portfolio] if portfolio else [])]:
        run = fin.runway
        if run is None or run.months_low is None:
            continue
        if run.months_low < options.min_cash_months:
            severity = Severity.CRITICAL if run.months_low < 1 else Severity.HIGH
            entity = None if fin.entity == PORTFOLIO else fin.entity
            out.append(
                Finding(
                    f"finance.runway-short:{fin.entity}",
                    "finance.runway-short",
                    f"{fin.name} has {_fmt_months(run.months_low)} months of runway at the worst month's burn",
                    severity,
                    entity,
                    f"Cash {_money_text(run.cash)}; net burn {run.burn}; runway {run.text}.",
                    "Cut the largest discretionary spend this month and collect what is owed before any new spend.",
                    Effort.DAYS,
                    4,
                    ("finance", "cash", "shortfall"),
                    run.provenance,
                    None,
                    CostTier.ZERO_COST,
                )
            )
    for check in rules:
        if check.status != "fail":
            continue
        severity = Severity.CRITICAL if check.kind == "equity-agreement" else Severity.HIGH
        recommendation = {
            "cash-months": "Rebuild the cash reserve before new spending: pause discretionary costs, collect receivables.",
            "max-spend": "Write a one-paragraph revenue case (expected monthly return, payback) for each large spend before paying.",
            "equity-agreement": "Put the equity promise in a signed agreement (vesting, cliff, amount) or withdraw it in writing.",
        }[check.kind]
        out.append(
            Finding(
                f"finance.rule.{check.rule}:{check.entity or PORTFOLIO}",
                f"finance.rule.{check.rule}",
                f"Rule broken: {check.description}",
                severity,
                check.entity,
                check.evidence,
                recommendation,
                Effort.HOURS if check.kind != "cash-months" else Effort.DAYS,
                3,
                ("finance", "policy", "shortfall"),
                check.provenance,
                None,
                CostTier.ZERO_COST,
            )
        )
    return out


def analyze(snapshot: Snapshot, config: Config | None = None) -> FinanceResult:
    """The finance analysis over a snapshot (pure: same snapshot and config, same result)."""
    options = finance_options(config)
    snapshot, skipped = books.single_currency(snapshot)
    periods = ledger_periods(snapshot)
    entities = [
        _entity_finance(snapshot, info, periods, options, entity_options(config, info.id))
        for info in snapshot.entities
    ]
    portfolio = _portfolio(snapshot, entities, periods, options)
    problems = []
    for index, period in enumerate(periods):
        total = books.total(
            (e.months[index].net for e in entities if e.has_ledger), snapshot.currency
        )
        if total != portfolio.months[index].net:
            problems.append(
                f"{period}: portfolio net {portfolio.months[index].net} != sum of entities {total}"
            )
    rules = check_rules(snapshot, options, entities, portfolio)
    first = periods[0] if periods else None

    def window(months: int) -> tuple[str, ...]:
        return (
            tuple(str(p) for p in books.trailing(months, snapshot.as_of, first)) if periods else ()
        )

    notes = list(skipped)
    if not periods:
        notes.append("No ledger data: P&L, burn and runway cannot be computed.")
    return FinanceResult(
        name="finance",
        metrics=tuple(_metrics([*entities, portfolio], snapshot.as_of, (window(3), window(6)))),
        findings=tuple(_findings(entities, portfolio, rules, options)),
        notes=tuple(notes),
        currency=snapshot.currency,
        periods=tuple(str(p) for p in periods),
        window_3m=window(3),
        window_6m=window(6),
        window_12m=window(12),
        entities=tuple(entities),
        portfolio=portfolio,
        rules=rules,
        rollup_ok=not problems,
        rollup_problems=tuple(problems),
    )


class FinanceAnalysis:
    """The ``finance`` analysis plugin."""

    name = "finance"
    description = (
        "P&L, burn, runway, break-even, revenue targets, capital deployment and financial rules."
    )
    Options: type[BaseModel] = FinanceOptions
    EntityOptions: type[BaseModel] | None = FinanceEntityOptions

    def analyze(self, snapshot: Snapshot, config: Config) -> FinanceResult:
        """Compute the finance result."""
        return analyze(snapshot, config)


@hookimpl
def register_analyses() -> list[object]:
    """The finance analysis."""
    return [FinanceAnalysis()]


__all__ = [
    "BreakEven",
    "BurnMonth",
    "DeploymentAction",
    "EntityFinance",
    "FinanceAnalysis",
    "FinanceEntityOptions",
    "FinanceOptions",
    "FinanceResult",
    "MonthLine",
    "RuleCheck",
    "Runway",
    "analyze",
    "deploy_capital",
]
