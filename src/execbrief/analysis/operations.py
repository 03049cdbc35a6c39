"""Operations: the rental unit (GPR, vacancy, NOI, cap rate, cash-on-cash, collection rate), delivery
operations (trips, miles, revenue and margin per trip and per mile, utilisation) and the
consultancy's billing gap (unbilled work, realisation, AR aging, client concentration).

Formulas and sources are in ``docs/metrics.md`` ("Operations").
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cached_property
from typing import Generic, TypeVar

from pydantic import BaseModel, Field

from execbrief.analysis import books
from execbrief.analysis.base import Analysis, first_by
from execbrief.analysis.receivables import (
    DEFAULT_TERMS_DAYS,
    LedgerReceivables,
    ledger_receivables,
)
from execbrief.config import Config, Model
from execbrief.findings import (
    AnalysisResult,
    CostTier,
    Effort,
    Finding,
    Metric,
    MetricValue,
    Severity,
)
from execbrief.hookspecs import hookimpl
from execbrief.records.bookings import Booking
from execbrief.records.handoff import Fact
from execbrief.records.ledger import AccountType, Transaction
from execbrief.records.timesheets import Invoice, TimeEntry
from execbrief.records.trips import Trip
from execbrief.snapshot import EntityInfo, Provenance, Snapshot
from execbrief.values import Money, MoneyRange, Percent, Period

SOLD = ("booked", "completed")
AGING_BUCKETS = ("Current", "1-30", "31-60", "61-90", "90+")
#: Debt service, as a ledger or a bank's memo says it ("HOMESIDE LENDING MTG PMT": MTG is the
#: banks' abbreviation of mortgage).
_DEBT = re.compile(
    r"\b(?:mortgage|mtg|loan|principal|interest|debt service|note payable)\b", re.IGNORECASE
)
#: Income that is not rent: a bank's interest (an "Interest" account or an INTEREST PAYMENT line).
_OTHER_INCOME = re.compile(r"\binterest\b", re.IGNORECASE)
#: Fact keys (vocabulary keys or slugs of labels) that state a property's value, cash invested, rent.
VALUE_KEYS = (
    "property-value",
    "property_value",
    "stated-value",
    "market-value",
    "value",
    "purchase-price",
    "appraised-value",
)
INVESTED_KEYS = (
    "cash-invested",
    "cash_invested",
    "equity-invested",
    "down-payment",
    "cash-in",
    "total-cash-invested",
)
RENT_KEYS = ("monthly-rent", "rent", "monthly_rent")


class OperationsOptions(Model):
    """``[analysis.operations]``: ``window_months`` trailing complete months for rental, delivery
    and client-concentration figures; ``concentration_limit`` the share one client may reach
    before it is a finding; ``low_utilisation`` the utilisation under which a delivery operation
    is flagged."""

    window_months: int = Field(default=12, ge=1, le=36)
    concentration_limit: Decimal = Field(default=Decimal("0.5"), gt=0, le=1)
    low_utilisation: Decimal = Field(default=Decimal("0.25"), ge=0, le=1)
    #: days from an invoice's date to its due date for invoices read from a ledger's receivable
    #: lines (the export has no due date)
    terms_days: int = Field(default=DEFAULT_TERMS_DAYS, ge=0, le=365)


class OperationsEntityOptions(Model):
    """``[entities.settings.operations]``: what the data cannot say about a rental unit.

    ``property_value`` (stated value, for the cap rate), ``cash_invested`` (for cash-on-cash),
    ``nightly_rate`` (short-term) or ``monthly_rent`` (long-term) for gross potential rent.
    Handoff facts ``Property value``, ``Cash invested``, ``Average daily rate``/``Monthly rent``
    are used when these are not set.
    """

    property_value: Decimal | None = Field(default=None, gt=0)
    cash_invested: Decimal | None = Field(default=None, gt=0)
    nightly_rate: Decimal | None = Field(default=None, gt=0)
    monthly_rent: Decimal | None = Field(default=None, gt=0)


# --------------------------------------------------------------------------- result types


@dataclass(frozen=True)
class Figure:
    """A figure with where it came from: ``source`` is config, notes, bookings or ledger."""

    value: Money | None
    source: str | None
    provenance: tuple[Provenance, ...] = ()


@dataclass(frozen=True)
class RentalUnit:
    """A rental unit over the window, annualised (× 12 ÷ months)."""

    entity: str
    window: tuple[str, ...]
    days: int
    rate: Figure
    rate_basis: str
    gross_potential_rent: Money | None
    occupied_nights: int | None
    occupancy: Percent | None
    vacancy: Percent | None
    vacancy_basis: str
    income: Money
    operating_expenses: Money
    noi: Money
    noi_annual: Money
    debt_service: Money
    debt_service_annual: Money
    cash_flow_annual: Money
    cash_flow: Money
    property_value: Figure
    cash_invested: Figure
    cap_rate: Percent | None
    cash_on_cash: Percent | None
    billed: Money | None
    collection_rate: Percent | None
    provenance: tuple[Provenance, ...] = ()
    #: "long-term" (a monthly rent) or "short-term" (nightly stays); see docs/metrics.md.
    let: str = "short-term"
    #: Long-term: months of the window with rental income, and those income rows.
    months_let: int | None = None
    #: Short-term: the occupancy a note states, when the bookings give no nights.
    stated_occupancy: Percent | None = None
    stated_occupancy_provenance: tuple[Provenance, ...] = ()
    #: Income in the window that is not rent (bank interest): left out of income, NOI and the
    #: collection rate.
    other_income: Money | None = None
    other_income_provenance: tuple[Provenance, ...] = ()

    @property
    def long_term(self) -> bool:
        """Whether the unit is let by the month (rent per month, months let, economic vacancy)."""
        return self.let == "long-term"


@dataclass(frozen=True)
class DeliveryOps:
    """Delivery trips over the window."""

    entity: str
    window: tuple[str, ...]
    days: int
    trips: int
    nautical_miles: Decimal
    revenue: Money
    direct_costs: Money
    margin: Money
    margin_pct: Percent | None
    revenue_per_trip: Money | None
    margin_per_trip: Money | None
    revenue_per_mile: Money | None
    margin_per_mile: Money | None
    trip_days: int
    utilisation: Percent | None
    provenance: tuple[Provenance, ...] = ()


@dataclass(frozen=True)
class AgingBucket:
    """Unpaid invoices by days past due on as_of."""

    bucket: str
    amount: Money
    invoices: tuple[str, ...]
    provenance: tuple[Provenance, ...] = ()


@dataclass(frozen=True)
class ClientOwed:
    """What one client owes on as_of (Σ its unpaid invoices), cited at those invoices."""

    client: str
    amount: Money
    provenance: tuple[Provenance, ...] = ()


@dataclass(frozen=True)
class ClientShare:
    """A client's share of invoiced revenue over the window."""

    client: str
    amount: Money
    share: Percent
    #: the client's own invoice lines in the window (never another client's)
    provenance: tuple[Provenance, ...] = ()


#: What an unknown billing figure says instead of $0 (docs/formats.md, "Timesheets", "Invoices").
NO_INVOICE_COLUMN = "unknown (the export has no invoice column)"
NO_INVOICES_SOURCE = "unknown (no invoices source)"
#: The one-line fix said beside NO_INVOICES_SOURCE.
ADD_INVOICES = 'add invoices = "invoices.csv" to the entity'


@dataclass(frozen=True)
class BillingGap:
    """A consultancy's logged time against its invoices, and its receivables."""

    entity: str
    billable_hours: Decimal
    billable_value: Money
    invoiced_hours: Decimal
    invoiced_hours_value: Money
    unbilled_hours: Decimal
    unbilled_value: Money
    unbilled_entries: tuple[TimeEntry, ...]
    unbilled_by_client: tuple[tuple[str, Money], ...]
    non_billable_hours: Decimal
    unrated_hours: Decimal
    invoiced: Money
    collected: Money
    realisation: Percent | None
    collection_rate: Percent | None
    aging: tuple[AgingBucket, ...]
    receivable: Money
    overdue: Money
    window: tuple[str, ...]
    clients: tuple[ClientShare, ...]
    provenance: tuple[Provenance, ...] = ()
    #: Billable hours from exports with no invoice column: billed or not is unknown, not "no".
    invoice_unknown_hours: Decimal = Decimal(0)
    #: The billable entries behind ``invoice_unknown_hours``.
    invoice_unknown_entries: tuple[TimeEntry, ...] = ()
    #: False when the entity has no invoices source: receivables are then unknown, not $0.
    invoices_read: bool = True
    #: Billable hours per month (``YYYY-MM``, oldest first) of every month the log has entries in.
    billable_by_month: tuple[tuple[str, Decimal], ...] = ()
    #: Set when the invoices are the ledger's receivable lines (no invoices source): where they
    #: come from, what they cannot itemise and what the reader should know of them.
    from_ledger: LedgerReceivables | None = None
    #: Σ unpaid on as_of per client, largest first (a ledger's not-itemised rest is not in it).
    owed_by_client: tuple[ClientOwed, ...] = ()
    #: False when the entity has no time log at all (only invoices or a ledger's receivables):
    #: unbilled work is then not a figure of it, not $0.
    time_logged: bool = True

    @property
    def unbilled_known(self) -> bool:
        """False when some billable time comes from an export that cannot say what was invoiced."""
        return not self.invoice_unknown_hours

    @property
    def unbilled_unknown(self) -> str | None:
        """Why unbilled work is unknown, or None when it is known (the one rule every report uses)."""
        return None if self.unbilled_known else NO_INVOICE_COLUMN

    @property
    def unbilled_logged(self) -> Money | None:
        """The unbilled value, None when the entity keeps no time log (missing, not $0)."""
        return self.unbilled_value if self.time_logged else None

    @property
    def receivables_unknown(self) -> str | None:
        """Why receivables (and overdue, and their aging) are unknown, or None when known."""
        return None if self.invoices_read else NO_INVOICES_SOURCE


@dataclass(frozen=True)
class OperationsResult(AnalysisResult):
    """Operations' typed result."""

    rentals: tuple[RentalUnit, ...] = ()
    deliveries: tuple[DeliveryOps, ...] = ()
    billing: tuple[BillingGap, ...] = ()

    def rental(self, entity: str) -> RentalUnit | None:
        """One entity's rental unit, if it has one."""
        return self._rentals.get(entity)

    def delivery(self, entity: str) -> DeliveryOps | None:
        """One entity's delivery operations, if it has them."""
        return self._deliveries.get(entity)

    def billing_gap(self, entity: str) -> BillingGap | None:
        """One entity's billing gap, if it bills time."""
        return self._billing.get(entity)

    @cached_property
    def _rentals(self) -> dict[str, RentalUnit]:
        return first_by(self.rentals, lambda r: r.entity)

    @cached_property
    def _deliveries(self) -> dict[str, DeliveryOps]:
        return first_by(self.deliveries, lambda d: d.entity)

    @cached_property
    def _billing(self) -> dict[str, BillingGap]:
        return first_by(self.billing, lambda b: b.entity)


# --------------------------------------------------------------------------- helpers


def operations_options(config: Config | None) -> OperationsOptions:
    """The validated ``[analysis.operations]`` options (defaults when absent)."""
    options = config.analysis_options("operations") if config is not None else None
    return options if isinstance(options, OperationsOptions) else OperationsOptions()


def entity_options(config: Config | None, entity: str) -> OperationsEntityOptions:
    """The validated ``[entities.settings.operations]`` of one entity (defaults when absent)."""
    if config is None:
        return OperationsEntityOptions()
    try:
        options = config.entity(entity).setting("operations")
    except KeyError:
        return OperationsEntityOptions()
    return options if isinstance(options, OperationsEntityOptions) else OperationsEntityOptions()


def _pct(numerator: Decimal, denominator: Decimal) -> Percent | None:
    """numerator ÷ denominator as a percent rounded to two decimals, None when the denominator is 0."""
    if denominator == 0:
        return None
    return Percent(books.round2(numerator / denominator * 100))


def _fact_money(snapshot: Snapshot, entity: str, keys: Sequence[str], currency: str) -> Figure:
    for fact in snapshot.records(Fact, entity):
        if fact.key in keys:
            value = fact.value
            if isinstance(value, MoneyRange):
                value = value.midpoint
            if isinstance(value, Money):
                return Figure(value, "notes", (fact.provenance,))
    return Figure(None, None)


def _figure(
    configured: Decimal | None, snapshot: Snapshot, entity: str, keys: Sequence[str]
) -> Figure:
    if configured is not None:
        return Figure(Money(configured, snapshot.currency), "config")
    return _fact_money(snapshot, entity, keys, snapshot.currency)


def _window(snapshot: Snapshot, months: int, first: date | None) -> list[Period]:
    return books.trailing(months, snapshot.as_of, books.month_of(first) if first else None)


# --------------------------------------------------------------------------- rental


def _is_debt_service(t: Transaction) -> bool:
    """A mortgage or loan payment: a debt-named cost, or a debt-named liability paid down."""
    return bool(_DEBT.search(f"{t.account} {t.memo}")) and (
        t.account_type in books.COSTS
        or (t.account_type == AccountType.LIABILITY and t.amount.amount < 0)
    )


def rental_unit(
    snapshot: Snapshot, info: EntityInfo, options: OperationsOptions, eopts: OperationsEntityOptions
) -> RentalUnit | None:
    """The rental unit's figures over the trailing window (see docs/metrics.md#rental-unit)."""
    currency = snapshot.currency
    rows = [t for t in snapshot.records(Transaction, info.id) if t.date <= snapshot.as_of]
    bookings = snapshot.records(Booking, info.id)
    firsts = [t.date for t in rows] + [b.service_date for b in bookings if b.service_date]
    if not firsts:
        return None
    window = _window(snapshot, options.window_months, min(firsts))
    if not window:
        return None
    start, end = window[0].start, window[-1].end
    n = Decimal(len(window))
    days = (end - start).days + 1
    in_window = [t for t in rows if start <= t.date <= end]
    all_income = [t for t in in_window if t.account_type == AccountType.INCOME]
    other_rows = [t for t in all_income if _OTHER_INCOME.search(f"{t.account} {t.memo}")]
    income_rows = [t for t in all_income if not _OTHER_INCOME.search(f"{t.account} {t.memo}")]
    debt_rows: list[Transaction] = []
    opex_rows: list[Transaction] = []
    for t in in_window:
        if _is_debt_service(t):
            debt_rows.append(t)
        elif t.account_type in books.COSTS:
            opex_rows.append(t)
    income = books.total((t.amount for t in income_rows), currency)
    opex = books.total((t.amount for t in opex_rows), currency)
    debt = books.total((abs(t.amount) for t in debt_rows), currency)
    noi = income - opex
    noi_annual = (noi * 12 / n).quantize()
    debt_annual = (debt * 12 / n).quantize()
    cash_flow = noi_annual - debt_annual

    stays = [
        b
        for b in bookings
        if b.status.value in SOLD and b.service_date and start <= b.service_date <= end
    ]
    nights = sum(b.units for b in stays) if stays else None
    billed = books.total((b.amount for b in stays if b.amount), currency) if stays else None
    rate = Figure(None, None)
    basis = "nightly"
    gpr: Money | None = None
    if eopts.monthly_rent is not None:
        rate, basis = Figure(Money(eopts.monthly_rent, currency), "config"), "monthly"
        gpr = rate.value * n if rate.value else None
    else:
        if eopts.nightly_rate is not None:
            rate = Figure(Money(eopts.nightly_rate, currency), "config")
        elif stays and nights:
            rate = Figure(
                (billed or Money(0, currency)) / Decimal(nights), "bookings", books.cite(stays)
            )
        else:
            rate = _fact_money(snapshot, info.id, ("adr",), currency)
            if rate.value is None:
                monthly = _fact_money(snapshot, info.id, RENT_KEYS, currency)
                if monthly.value is not None:
                    rate, basis = monthly, "monthly"
        if rate.value is not None:
            gpr = rate.value * (n if basis == "monthly" else Decimal(days))
    occupancy = (
        _pct(Decimal(nights), Decimal(days)) if nights is not None and basis != "monthly" else None
    )
    if occupancy is not None:
        vacancy: Percent | None = Percent(Decimal(100) - occupancy.value)
        vacancy_basis = "physical: 1 − occupied nights ÷ nights in the window"
    elif gpr is not None and not gpr.is_zero:
        vacancy = _pct(gpr.amount - income.amount, gpr.amount)
        vacancy_basis = "economic: 1 − rental income ÷ gross potential rent"
    else:
        vacancy, vacancy_basis = None, "unknown: no bookings and no rate"
    value = _figure(eopts.property_value, snapshot, info.id, VALUE_KEYS)
    invested = _figure(eopts.cash_invested, snapshot, info.id, INVESTED_KEYS)
    cap = _pct(noi_annual.amount, value.value.amount) if value.value else None
    coc = _pct(cash_flow.amount, invested.value.amount) if invested.value else None
    collection = _pct(income.amount, billed.amount) if billed is not None else None
    long_term = basis == "monthly"
    let_months = {books.month_of(t.date) for t in income_rows if t.amount.amount > 0}
    stated = None if long_term or nights else _fact_percent(snapshot, info.id, "occupancy")
    return RentalUnit(
        info.id,
        tuple(str(p) for p in window),
        days,
        rate,
        basis,
        gpr.quantize() if gpr else None,
        nights,
        occupancy,
        vacancy,
        vacancy_basis,
        income,
        opex,
        noi,
        noi_annual,
        debt,
        debt_annual,
        cash_flow,
        noi - debt,
        value,
        invested,
        cap,
        coc,
        billed,
        collection,
        books.cite(in_window) + books.cite(stays),
        "long-term" if long_term else "short-term",
        len(let_months) if long_term else None,
        stated[0] if stated else None,
        stated[1] if stated else (),
        books.total((t.amount for t in other_rows), currency) if other_rows else None,
        books.cite(other_rows),
    )


def _fact_percent(
    snapshot: Snapshot, entity: str, key: str
) -> tuple[Percent, tuple[Provenance, ...]] | None:
    """The first percent a note states under ``key``, with its line."""
    for fact in snapshot.records(Fact, entity):
        if fact.key == key and isinstance(fact.value, Percent):
            return fact.value, (fact.provenance,)
    return None


# --------------------------------------------------------------------------- delivery


def delivery_ops(
    snapshot: Snapshot, info: EntityInfo, options: OperationsOptions
) -> DeliveryOps | None:
    """Trips that start in the window: counts, miles, revenue, direct costs and utilisation, where a
    trip occupies every calendar day from its start to its end inclusive (clipped to the window)."""
    trips = [t for t in snapshot.records(Trip, info.id) if t.start <= snapshot.as_of]
    if not trips:
        return None
    window = _window(snapshot, options.window_months, min(t.start for t in trips))
    if not window:
        return None
    start, end = window[0].start, window[-1].end
    currency = snapshot.currency
    chosen = [t for t in trips if start <= t.start <= end]
    days = (end - start).days + 1
    count = len(chosen)
    miles = sum((t.nautical_miles for t in chosen), Decimal(0))
    revenue = books.total((t.fee for t in chosen), currency)
    costs = books.total((t.expenses for t in chosen), currency)
    margin = revenue - costs
    busy: set[date] = set()
    for t in chosen:
        day = max(t.start, start)
        while day <= min(t.end, end):
            busy.add(day)
            day = date.fromordinal(day.toordinal() + 1)
    per = Decimal(count)
    return DeliveryOps(
        info.id,
        tuple(str(p) for p in window),
        days,
        count,
        miles,
        revenue,
        costs,
        margin,
        _pct(margin.amount, revenue.amount),
        (revenue / per).quantize() if count else None,
        (margin / per).quantize() if count else None,
        (revenue / miles).quantize() if miles else None,
        (margin / miles).quantize() if miles else None,
        len(busy),
        _pct(Decimal(len(busy)), Decimal(days)),
        books.cite(chosen),
    )


# --------------------------------------------------------------------------- billing


def aging_bucket(days_past_due: int) -> str:
    """Current (not yet due, or due today), 1-30, 31-60, 61-90 or 90+ days past due."""
    if days_past_due <= 0:
        return "Current"
    if days_past_due <= 30:
        return "1-30"
    if days_past_due <= 60:
        return "31-60"
    if days_past_due <= 90:
        return "61-90"
    return "90+"


def billing_gap(
    snapshot: Snapshot, info: EntityInfo, options: OperationsOptions
) -> BillingGap | None:
    """Logged time against invoices, unbilled work, realisation, AR aging and client concentration."""
    as_of, currency = snapshot.as_of, snapshot.currency
    entries = [e for e in snapshot.records(TimeEntry, info.id) if e.date <= as_of]
    invoices = [i for i in snapshot.records(Invoice, info.id) if i.issued <= as_of]
    register = bool(invoices) or any(snapshot.results_for(info.id, "invoices"))
    ledger = None if register else ledger_receivables(snapshot, info.id, options.terms_days)
    if ledger is not None:
        invoices = list(ledger.invoices)
    if not entries and not invoices and ledger is None:
        return None
    billable = [e for e in entries if e.billable]
    rated = [e for e in billable if e.rate is not None]

    def value(items: Sequence[TimeEntry]) -> Money:
        """Σ rate × hours of the rated entries: one Money, not one per entry."""
        priced = [e.rate for e in items if e.rate is not None]
        if any(rate.currency != currency for rate in priced):  # books.total says which
            return books.total((e.rate * e.hours for e in items if e.rate is not None), currency)
        amounts = (e.rate.amount * e.hours for e in items if e.rate is not None)
        return Money(sum(amounts, Decimal(0)), currency)

    def hours(items: Sequence[TimeEntry]) -> Decimal:
        return sum((e.hours for e in items), Decimal(0))

    invoiced_entries = [e for e in billable if e.invoice]
    unbilled = [e for e in billable if not e.invoice and e.invoice_known]
    unknown = [e for e in billable if not e.invoice and not e.invoice_known]
    by_client: dict[str, Money] = defaultdict(lambda: Money(0, currency))
    for e in unbilled:
        if e.rate is not None:
            by_client[e.client] += e.rate * e.hours
    invoiced = books.total((i.amount for i in invoices), currency)
    paid = [i for i in invoices if i.paid_on is not None and i.paid_on <= as_of]
    collected = books.total((i.amount for i in paid), currency)
    open_invoices = [i for i in invoices if i.paid_on is None or i.paid_on > as_of]
    buckets: dict[str, list[Invoice]] = {name: [] for name in AGING_BUCKETS}
    for i in open_invoices:
        buckets[aging_bucket((as_of - i.due).days)].append(i)
    aging = tuple(
        AgingBucket(
            name,
            books.total((i.amount for i in items), currency),
            tuple(i.number for i in items),
            tuple(i.provenance for i in items),
        )
        for name, items in buckets.items()
    )
    receivable = books.total((i.amount for i in open_invoices), currency)
    if ledger is not None:
        receivable += ledger.unitemised
    overdue = books.total((b.amount for b in aging if b.bucket != "Current"), currency)
    window = books.trailing(options.window_months, as_of)
    start, end = window[0].start, window[-1].end
    recent = [i for i in invoices if start <= i.issued <= end]
    recent_total = books.total((i.amount for i in recent), currency)
    shares: dict[str, Money] = defaultdict(lambda: Money(0, currency))
    issued_to: dict[str, list[Invoice]] = defaultdict(list)
    for i in recent:
        shares[i.client] += i.amount
        issued_to[i.client].append(i)
    clients = tuple(
        ClientShare(
            client,
            amount,
            _pct(amount.amount, recent_total.amount) or Percent(0),
            books.runs(issued_to[client]),
        )
        for client, amount in sorted(shares.items(), key=lambda kv: (-kv[1].amount, kv[0]))
    )
    billable_value = value(rated)
    invoices_read = (
        bool(invoices)
        or ledger is not None
        or any(r.ok for r in snapshot.results_for(info.id, "invoices"))
    )
    return BillingGap(
        info.id,
        hours(billable),
        billable_value,
        hours(invoiced_entries),
        value(invoiced_entries),
        hours(unbilled),
        value(unbilled),
        tuple(unbilled),
        tuple(sorted(by_client.items(), key=lambda kv: -kv[1].amount)),
        hours([e for e in entries if not e.billable]),
        hours([e for e in billable if e.rate is None]),
        invoiced,
        collected,
        # no invoices source, or none issued and an export that cannot say what was invoiced:
        # realisation is unknown, not 0%
        _pct(invoiced.amount, billable_value.amount)
        if invoices or (invoices_read and not unknown)
        else None,
        _pct(collected.amount, invoiced.amount),
        aging,
        receivable,
        overdue,
        tuple(str(p) for p in window),
        clients,
        books.cite(entries)
        + (
            books.cite(invoices)
            if ledger is None
            else ledger.provenance + ledger.unitemised_provenance
        ),
        hours(unknown),
        tuple(unknown),
        invoices_read,
        _billable_by_month(entries),
        ledger,
        _owed_by_client(open_invoices, currency),
        bool(entries) or any(snapshot.results_for(info.id, "timesheets")),
    )


def _owed_by_client(unpaid: Sequence[Invoice], currency: str) -> tuple[ClientOwed, ...]:
    """Σ unpaid per client, largest first, each cited at its own invoices' lines."""
    by_client: dict[str, list[Invoice]] = defaultdict(list)
    for i in unpaid:
        by_client[i.client].append(i)
    owed = [
        ClientOwed(client, books.total((i.amount for i in items), currency), books.runs(items))
        for client, items in by_client.items()
    ]
    return tuple(
        sorted((o for o in owed if o.amount.amount), key=lambda o: (-o.amount.amount, o.client))
    )


def _billable_by_month(entries: Sequence[TimeEntry]) -> tuple[tuple[str, Decimal], ...]:
    """Σ billable hours per calendar month (``YYYY-MM``), oldest first; a month with only
    non-billable entries is 0 h (the log covers it)."""
    months: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    for e in entries:
        months[e.date.year, e.date.month] += e.hours if e.billable else _NO_HOURS
    return tuple(sorted((f"{year}-{month:02d}", hours) for (year, month), hours in months.items()))


#: The hours a non-billable entry adds to its month (one Decimal, not one per entry).
_NO_HOURS = Decimal(0)


# --------------------------------------------------------------------------- findings


def _unbilled(gap: BillingGap, name: str, options: OperationsOptions) -> Finding | None:
    """Billable hours logged with no invoice (high)."""
    if gap.unbilled_value.amount <= 0:
        return None
    clients = ", ".join(f"{c} {m.quantize()}" for c, m in gap.unbilled_by_client)
    return Finding(
        f"operations.unbilled:{gap.entity}",
        "operations.unbilled",
        f"{name} has {gap.unbilled_value.quantize()} of unbilled work",
        Severity.HIGH,
        gap.entity,
        f"{gap.unbilled_hours.normalize():f} billable hours logged with no invoice ({clients}).",
        "Invoice the unbilled hours this week and make 'every billable entry has an invoice' a month-end check.",
        Effort.HOURS,
        4,
        ("billing", "revenue"),
        tuple(e.provenance for e in gap.unbilled_entries),
        None,
        CostTier.REVENUE,
        shortfall=True,
    )


def _overdue(gap: BillingGap, name: str, options: OperationsOptions) -> Finding | None:
    """Unpaid invoices past due (high when any is over 60 days late, else medium)."""
    late = [b for b in gap.aging if b.bucket != "Current" and b.amount.amount > 0]
    if not late:
        return None
    worst = late[-1]
    severity = Severity.HIGH if worst.bucket in ("61-90", "90+") else Severity.MEDIUM
    listed = "; ".join(
        f"{b.bucket} days: {b.amount.quantize()} ({', '.join(b.invoices)})" for b in late
    )
    return Finding(
        f"operations.overdue:{gap.entity}",
        "operations.overdue",
        f"{name} has {gap.overdue.quantize()} of overdue invoices",
        severity,
        gap.entity,
        listed,
        "Call each overdue client this week; stop new work for invoices over 60 days late until paid.",
        Effort.HOURS,
        3,
        ("billing", "cash"),
        tuple(p for b in late for p in b.provenance),
        None,
        CostTier.ZERO_COST,
        shortfall=True,
    )


def _concentration(gap: BillingGap, name: str, options: OperationsOptions) -> Finding | None:
    """One client's share of invoiced revenue over ``concentration_limit`` (medium)."""
    if not gap.clients or gap.clients[0].share.fraction <= options.concentration_limit:
        return None
    top = gap.clients[0]
    invoiced = books.total((c.amount for c in gap.clients), top.amount.currency)
    return Finding(
        f"operations.concentration:{gap.entity}",
        "operations.concentration",
        f"{name} depends on one client for {top.share} of revenue",
        Severity.MEDIUM,
        gap.entity,
        f"{top.client}: {top.amount.quantize()} of {invoiced.quantize()} "
        f"invoiced in {gap.window[0]}..{gap.window[-1]}.",
        "Win two more mid-sized clients before the next renewal of the largest one.",
        Effort.MONTHS,
        3,
        ("billing", "sales"),
        gap.provenance[-1:],
        None,
        CostTier.REVENUE,
    )


def _rental_noi(unit: RentalUnit, name: str, options: OperationsOptions) -> Finding | None:
    """The unit loses money before debt service (high)."""
    if unit.noi.amount >= 0:
        return None
    return Finding(
        f"operations.rental-noi:{unit.entity}",
        "operations.rental-noi",
        f"{name} loses money before debt service",
        Severity.HIGH,
        unit.entity,
        f"NOI {unit.noi_annual}/yr over {unit.window[0]}..{unit.window[-1]}.",
        "Raise the nightly rate or cut operating costs; list on a second platform to lift occupancy.",
        Effort.WEEKS,
        3,
        ("rental", "revenue"),
        unit.provenance,
        None,
        CostTier.REVENUE,
    )


def _rental_cash_flow(unit: RentalUnit, name: str, options: OperationsOptions) -> Finding | None:
    """NOI is not negative but does not cover debt service (medium; a negative NOI says more)."""
    if unit.noi.amount < 0 or unit.cash_flow_annual.amount >= 0:
        return None
    return Finding(
        f"operations.rental-cash-flow:{unit.entity}",
        "operations.rental-cash-flow",
        f"{name} does not cover its debt service",
        Severity.MEDIUM,
        unit.entity,
        f"NOI {unit.noi_annual}/yr against debt service {unit.debt_service_annual}/yr.",
        "Lift occupancy in the soft months (longer-stay discount, second platform) or refinance.",
        Effort.WEEKS,
        2,
        ("rental", "revenue"),
        unit.provenance,
        None,
        CostTier.REVENUE,
    )


def _delivery_margin(ops: DeliveryOps, name: str, options: OperationsOptions) -> Finding | None:
    """Trips cost more than they earn (high)."""
    if ops.margin.amount >= 0:
        return None
    return Finding(
        f"operations.delivery-margin:{ops.entity}",
        "operations.delivery-margin",
        f"{name} loses money on trips",
        Severity.HIGH,
        ops.entity,
        f"Margin {ops.margin.quantize()} on {ops.trips} trips.",
        "Reprice per mile above direct costs.",
        Effort.DAYS,
        3,
        ("delivery", "pricing"),
        ops.provenance,
        None,
        CostTier.ZERO_COST,
    )


def _delivery_utilisation(
    ops: DeliveryOps, name: str, options: OperationsOptions
) -> Finding | None:
    """Trip days under ``low_utilisation`` of the window's days (low)."""
    if ops.utilisation is None or ops.utilisation.fraction >= options.low_utilisation:
        return None
    return Finding(
        f"operations.delivery-utilisation:{ops.entity}",
        "operations.delivery-utilisation",
        f"{name} is busy {ops.utilisation} of the days",
        Severity.LOW,
        ops.entity,
        f"{ops.trip_days} trip days of {ops.days} in {ops.window[0]}..{ops.window[-1]}; margin per trip "
        f"{ops.margin_per_trip}.",
        "Fill idle weeks: list with brokers and offer repositioning legs at a lower day rate.",
        Effort.WEEKS,
        2,
        ("delivery", "sales"),
        ops.provenance,
        ops.margin_per_trip,
        CostTier.REVENUE,
    )


_Subject = TypeVar("_Subject", BillingGap, RentalUnit, DeliveryOps)
#: A finding rule: one billing gap, rental unit or delivery operation, the entity's name, the options.
FindingRule = Callable[[_Subject, str, OperationsOptions], "Finding | None"]

#: The finding rules of each kind of result, in the order their findings are listed per entity.
BILLING_RULES: tuple[FindingRule[BillingGap], ...] = (_unbilled, _overdue, _concentration)
RENTAL_RULES: tuple[FindingRule[RentalUnit], ...] = (_rental_noi, _rental_cash_flow)
DELIVERY_RULES: tuple[FindingRule[DeliveryOps], ...] = (_delivery_margin, _delivery_utilisation)


def _run_rules(
    subjects: Sequence[_Subject],
    rules: Sequence[FindingRule[_Subject]],
    options: OperationsOptions,
    names: dict[str, str],
) -> Iterator[Finding]:
    for subject in subjects:
        for rule in rules:
            finding = rule(subject, names[subject.entity], options)
            if finding is not None:
                yield finding


def _findings(
    result: OperationsResult, options: OperationsOptions, names: dict[str, str]
) -> list[Finding]:
    return [
        *_run_rules(result.billing, BILLING_RULES, options, names),
        *_run_rules(result.rentals, RENTAL_RULES, options, names),
        *_run_rules(result.deliveries, DELIVERY_RULES, options, names),
    ]


# --------------------------------------------------------------------------- metrics


@dataclass(frozen=True)
class MetricSpec(Generic[_Subject]):
    """One metric read off a rental unit, delivery operation or billing gap: shown when its value is
    known. ``formula`` is the words, or reads them off the subject; ``cites`` defaults to the
    subject's provenance."""

    id: str
    label: str
    value: Callable[[_Subject], MetricValue]
    formula: str | Callable[[_Subject], str]
    unit: str | None = None
    cites: Callable[[_Subject], tuple[Provenance, ...]] | None = None

    def metric(self, subject: _Subject) -> Metric | None:
        """The metric of one subject, or None when its value is unknown."""
        value = self.value(subject)
        if value is None:
            return None
        formula = self.formula if isinstance(self.formula, str) else self.formula(subject)
        cited = self.cites(subject) if self.cites is not None else subject.provenance
        return Metric(
            self.id,
            self.label,
            value,
            subject.entity,
            None,
            self.unit,
            formula,
            tuple(dict.fromkeys(cited)),
        )


def _table_metrics(subject: _Subject, specs: Sequence[MetricSpec[_Subject]]) -> Iterator[Metric]:
    for spec in specs:
        metric = spec.metric(subject)
        if metric is not None:
            yield metric


RENTAL_METRICS: tuple[MetricSpec[RentalUnit], ...] = (
    MetricSpec(
        "rental.gpr",
        "Gross potential rent (window)",
        lambda u: u.gross_potential_rent,
        "rate × nights (or months) in the window",
        cites=lambda u: u.provenance + u.rate.provenance,
    ),
    MetricSpec(
        "rental.occupancy",
        "Occupancy",
        lambda u: u.occupancy,
        "occupied nights ÷ nights in the window",
    ),
    MetricSpec("rental.vacancy", "Vacancy", lambda u: u.vacancy, lambda u: u.vacancy_basis),
    MetricSpec(
        "rental.noi",
        "NOI (annualised)",
        lambda u: u.noi_annual,
        "(income − operating expenses excl. debt service) × 12 ÷ months",
    ),
    MetricSpec(
        "rental.cap_rate",
        "Cap rate",
        lambda u: u.cap_rate,
        "annual NOI ÷ stated property value",
        cites=lambda u: u.provenance + u.property_value.provenance,
    ),
    MetricSpec(
        "rental.cash_on_cash",
        "Cash-on-cash return",
        lambda u: u.cash_on_cash,
        "(annual NOI − annual debt service) ÷ cash invested",
        cites=lambda u: u.provenance + u.cash_invested.provenance,
    ),
    MetricSpec(
        "rental.collection_rate",
        "Collection rate",
        lambda u: u.collection_rate,
        "rent collected ÷ rent billed",
    ),
)

DELIVERY_METRICS: tuple[MetricSpec[DeliveryOps], ...] = (
    MetricSpec(
        "delivery.trips", "Trips", lambda d: d.trips, "trips starting in the window", "trips"
    ),
    MetricSpec(
        "delivery.nm", "Nautical miles", lambda d: d.nautical_miles, "sum of trip miles", "nm"
    ),
    MetricSpec(
        "delivery.revenue_per_trip",
        "Revenue per trip",
        lambda d: d.revenue_per_trip,
        "fees ÷ trips",
    ),
    MetricSpec(
        "delivery.margin_per_trip",
        "Margin per trip",
        lambda d: d.margin_per_trip,
        "(fees − trip expenses) ÷ trips",
    ),
    MetricSpec(
        "delivery.revenue_per_nm",
        "Revenue per nautical mile",
        lambda d: d.revenue_per_mile,
        "fees ÷ miles",
    ),
    MetricSpec(
        "delivery.margin_per_nm",
        "Margin per nautical mile",
        lambda d: d.margin_per_mile,
        "(fees − trip expenses) ÷ miles",
    ),
    MetricSpec(
        "delivery.utilisation",
        "Utilisation",
        lambda d: d.utilisation,
        "trip days ÷ days in the window",
    ),
)

BILLING_METRICS: tuple[MetricSpec[BillingGap], ...] = (
    MetricSpec(
        "billing.unbilled",
        "Unbilled work",
        lambda b: None if b.unbilled_unknown or not b.time_logged else b.unbilled_value.quantize(),
        "Σ hours × rate of billable entries with no invoice",
        cites=lambda b: tuple(e.provenance for e in b.unbilled_entries),
    ),
    MetricSpec(
        "billing.unbilled_hours",
        "Unbilled hours",
        lambda b: b.unbilled_hours if b.unbilled_known and b.time_logged else None,
        "Σ hours of billable entries with no invoice",
        "h",
        cites=lambda b: tuple(e.provenance for e in b.unbilled_entries),
    ),
    MetricSpec(
        "billing.realisation",
        "Realisation",
        lambda b: b.realisation,
        "invoiced ÷ (billable hours × standard rate)",
    ),
    MetricSpec(
        "billing.collection_rate", "Collection rate", lambda b: b.collection_rate, "paid ÷ invoiced"
    ),
    MetricSpec(
        "billing.receivable",
        "Accounts receivable",
        lambda b: (
            f"{b.receivables_unknown}; {ADD_INVOICES}"
            if b.receivables_unknown
            else b.receivable.quantize()
        ),
        "Σ unpaid invoices on as_of",
    ),
)
#: Listed after the AR aging buckets.
CONCENTRATION_METRICS: tuple[MetricSpec[BillingGap], ...] = (
    MetricSpec(
        "billing.top_client_share",
        "Largest client's share",
        lambda b: b.clients[0].share if b.clients else None,
        "largest client's invoiced ÷ all invoiced in the window",
    ),
)


def _aging_metrics(gap: BillingGap) -> Iterator[Metric]:
    """Accounts receivable by days past due, one metric a bucket (the bucket is its period); none
    when the entity has no invoices source (unknown is not $0)."""
    for bucket in () if gap.receivables_unknown else gap.aging:
        yield Metric(
            "billing.aging",
            f"AR {bucket.bucket}",
            bucket.amount.quantize(),
            gap.entity,
            bucket.bucket,
            None,
            "unpaid invoices by days past due on as_of",
            bucket.provenance,
        )


def _metrics(result: OperationsResult, currency: str) -> list[Metric]:
    out: list[Metric] = []
    for unit in result.rentals:
        out.extend(_table_metrics(unit, RENTAL_METRICS))
    for ops in result.deliveries:
        out.extend(_table_metrics(ops, DELIVERY_METRICS))
    for gap in result.billing:
        out.extend(_table_metrics(gap, BILLING_METRICS))
        out.extend(_aging_metrics(gap))
        out.extend(_table_metrics(gap, CONCENTRATION_METRICS))
    return out


def analyze(snapshot: Snapshot, config: Config | None = None) -> OperationsResult:
    """The operations analysis (pure)."""
    options = operations_options(config)
    snapshot, skipped = books.single_currency(snapshot)
    rentals, deliveries, billing = [], [], []
    for info in snapshot.entities:
        if info.kind == "rental":
            unit = rental_unit(snapshot, info, options, entity_options(config, info.id))
            if unit is not None:
                rentals.append(unit)
        ops = delivery_ops(snapshot, info, options)
        if ops is not None:
            deliveries.append(ops)
        gap = billing_gap(snapshot, info, options)
        if gap is not None:
            billing.append(gap)
    base = OperationsResult(
        name="operations",
        rentals=tuple(rentals),
        deliveries=tuple(deliveries),
        billing=tuple(billing),
    )
    names = {e.id: e.name for e in snapshot.entities}
    return OperationsResult(
        name="operations",
        metrics=tuple(_metrics(base, snapshot.currency)),
        findings=tuple(_findings(base, options, names)),
        rentals=base.rentals,
        deliveries=base.deliveries,
        billing=base.billing,
        notes=tuple(skipped),
    )


class OperationsAnalysis:
    """The ``operations`` analysis plugin."""

    name = "operations"
    description = "Rental unit, delivery operations and the consultancy billing gap."
    Options: type[BaseModel] = OperationsOptions
    EntityOptions: type[BaseModel] | None = OperationsEntityOptions

    def analyze(self, snapshot: Snapshot, config: Config) -> OperationsResult:
        """Compute the operations result."""
        return analyze(snapshot, config)


@hookimpl
def register_analyses() -> list[Analysis]:
    """The operations analysis."""
    return [OperationsAnalysis()]
