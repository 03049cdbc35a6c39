"""The data-driven KPI framework: for each entity, the KPIs its kind should track and whether the
data read now (ledgers, bookings, trips, timesheets, invoices) can compute them — tracked, with the
value and its source rows — or missing, with what data would make it trackable.

It reads the ``finance`` and ``operations`` results, so it is a function reports call with those
results rather than an analysis of its own. Definitions: ``docs/metrics.md`` ("KPI framework").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from execbrief.analysis import books
from execbrief.analysis.finance import EntityFinance, FinanceResult
from execbrief.analysis.operations import (
    ADD_INVOICES,
    BillingGap,
    DeliveryOps,
    OperationsResult,
    RentalUnit,
)
from execbrief.findings import MetricValue
from execbrief.snapshot import Provenance, set_in_dict
from execbrief.values import Money, Percent


@set_in_dict
@dataclass(frozen=True)
class KpiStatus:
    """One KPI of one entity: tracked (with its value and rows), unknown (the data is read but
    cannot give it: ``value`` says why) or missing (``basis`` says what data it needs)."""

    entity: str
    kpi: str
    tracked: bool
    value: MetricValue
    basis: str
    provenance: tuple[Provenance, ...] = ()
    unknown: bool = False

    @property
    def status(self) -> str:
        """``tracked``, ``unknown`` or ``missing``."""
        return "tracked" if self.tracked else "unknown" if self.unknown else "missing"


@dataclass
class _Inputs:
    fin: EntityFinance | None
    rental: RentalUnit | None
    delivery: DeliveryOps | None
    billing: BillingGap | None
    window: tuple[str, ...]


@dataclass(frozen=True)
class Unknown:
    """A KPI whose data is read but cannot give it: ``reason`` is its value ("unknown (the export
    has no invoice column)"), never a $0."""

    reason: str
    basis: str
    provenance: tuple[Provenance, ...]


#: A KPI's (value, basis, rows), Unknown, or None when the data it needs is missing.
Getter = Callable[[_Inputs], tuple[MetricValue, str, tuple[Provenance, ...]] | Unknown | None]


def _net_margin(i: _Inputs) -> tuple[MetricValue, str, tuple[Provenance, ...]] | None:
    if i.fin is None or not i.fin.has_ledger or not i.window:
        return None
    total = i.fin.totals(i.window)
    if total.revenue.is_zero:
        return None
    share = Percent(books.round2(total.net.amount / total.revenue.amount * 100))
    return (
        share,
        f"ledger, net ÷ revenue over {i.window[0]}..{i.window[-1]}",
        books_cite(total.provenance),
    )


def books_cite(provenance: tuple[Provenance, ...]) -> tuple[Provenance, ...]:
    """At most three citations (the figure's first rows) to keep a KPI table readable."""
    return provenance[:3]


def _be(attr: str, source: str | None = None, label: str = "") -> Getter:
    def get(i: _Inputs) -> tuple[MetricValue, str, tuple[Provenance, ...]] | None:
        be = i.fin.break_even if i.fin else None
        if be is None:
            return None
        value = getattr(be, attr)
        if value is None or (source is not None and be.price_source != source):
            return None
        if (attr == "units_per_month" and not be.units_sold) or (
            attr == "text" and be.status == "unknown"
        ):
            return None
        return (
            value,
            label or f"{be.price_source or 'ledger'}, {be.window[0]}..{be.window[-1]}",
            books_cite(be.provenance),
        )

    return get


def _runway(i: _Inputs) -> tuple[MetricValue, str, tuple[Provenance, ...]] | None:
    run = i.fin.runway if i.fin else None
    if run is None or run.status in ("no cash", "no data"):
        return None
    return run.text, "ledger cash balance ÷ net burn", books_cite(run.provenance)


def _ratio(i: _Inputs) -> tuple[MetricValue, str, tuple[Provenance, ...]] | None:
    be = i.fin.break_even if i.fin else None
    if be is None or be.contribution_ratio is None:
        return None
    return (
        Percent(books.round2(be.contribution_ratio * 100)),
        "price − variable cost per unit, ÷ price",
        books_cite(be.provenance),
    )


def _rental(attr: str, label: str) -> Getter:
    def get(i: _Inputs) -> tuple[MetricValue, str, tuple[Provenance, ...]] | None:
        if i.rental is None:
            return None
        value = getattr(i.rental, attr)
        if value is None:
            return None
        if hasattr(value, "source") and not isinstance(value, Money | Percent):
            if value.value is None:  # a Figure with nothing behind it
                return None
            return (
                value.value,
                f"{label} ({value.source})",
                books_cite(value.provenance or i.rental.provenance),
            )
        return value, label, books_cite(i.rental.provenance)

    return get


def _occupancy(i: _Inputs) -> tuple[MetricValue, str, tuple[Provenance, ...]] | None:
    """A short-term let's occupancy: booked nights ÷ nights available, else the note's."""
    unit = i.rental
    if unit is None or unit.long_term:
        return None
    if unit.occupancy is not None:
        return (
            unit.occupancy,
            "booked nights ÷ nights available (bookings)",
            books_cite(unit.provenance),
        )
    if unit.stated_occupancy is not None:
        return unit.stated_occupancy, "stated in the note", unit.stated_occupancy_provenance
    return None


def _adr(i: _Inputs) -> tuple[MetricValue, str, tuple[Provenance, ...]] | None:
    """A short-term let's average daily rate: booked revenue ÷ booked nights, else a stated rate."""
    unit = i.rental
    if unit is None or unit.long_term or unit.rate.value is None:
        return None
    basis = (
        "booked revenue ÷ booked nights (bookings)"
        if unit.rate.source == "bookings"
        else f"stated nightly rate ({unit.rate.source})"
    )
    return unit.rate.value.quantize(), basis, books_cite(unit.rate.provenance or unit.provenance)


def _revpar(i: _Inputs) -> tuple[MetricValue, str, tuple[Provenance, ...]] | None:
    """Revenue per available night: booked revenue ÷ nights available when the bookings have
    nights, else the rate × the note's occupancy, else ledger rental income ÷ nights available."""
    unit = i.rental
    if unit is None or unit.long_term or not unit.days:
        return None
    days = Decimal(unit.days)
    if unit.occupancy is not None and unit.billed is not None:
        return (
            (unit.billed / days).quantize(),
            "booked revenue ÷ nights available (bookings)",
            (books_cite(unit.provenance)),
        )
    if unit.stated_occupancy is not None and unit.rate.value is not None:
        value = (unit.rate.value * unit.stated_occupancy.value / 100).quantize()
        cites = unit.rate.provenance + unit.stated_occupancy_provenance
        return value, f"ADR ({unit.rate.source}) × occupancy stated in the note", cites
    return (
        (unit.income / days).quantize(),
        "rental income ÷ nights available (ledger)",
        (books_cite(unit.provenance)),
    )


def _rent(i: _Inputs) -> tuple[MetricValue, str, tuple[Provenance, ...]] | None:
    """A long-term let's rent per month, as configured or stated."""
    unit = i.rental
    if unit is None or not unit.long_term or unit.rate.value is None:
        return None
    return (
        unit.rate.value.quantize(),
        f"monthly rent ({unit.rate.source})",
        books_cite(unit.rate.provenance or unit.provenance),
    )


def _months_let(i: _Inputs) -> tuple[MetricValue, str, tuple[Provenance, ...]] | None:
    """A long-term let's months with rental income, of the window's months."""
    unit = i.rental
    if unit is None or not unit.long_term or unit.months_let is None:
        return None
    return (
        f"{unit.months_let} of {len(unit.window)}",
        f"months of {unit.window[0]}..{unit.window[-1]} with rental income (ledger)",
        books_cite(unit.provenance),
    )


def _economic_vacancy(i: _Inputs) -> tuple[MetricValue, str, tuple[Provenance, ...]] | None:
    """A long-term let's economic vacancy: 1 − rental income ÷ (rent × months)."""
    unit = i.rental
    if unit is None or not unit.long_term or unit.vacancy is None:
        return None
    return (
        unit.vacancy,
        "1 − rental income ÷ (monthly rent × months in the window)",
        books_cite(unit.provenance + unit.rate.provenance),
    )


def _delivery(attr: str, label: str) -> Getter:
    def get(i: _Inputs) -> tuple[MetricValue, str, tuple[Provenance, ...]] | None:
        if i.delivery is None or getattr(i.delivery, attr) is None:
            return None
        return getattr(i.delivery, attr), label, books_cite(i.delivery.provenance)

    return get


def _billing(
    attr: str,
    label: str,
    unknown: Callable[[BillingGap], str | None] | None = None,
    unknown_basis: str | None = None,
) -> Getter:
    """A billing figure; unknown (never $0) when ``unknown`` gives the gap a reason, with
    ``unknown_basis`` (the fix) for its basis."""

    def get(i: _Inputs) -> tuple[MetricValue, str, tuple[Provenance, ...]] | Unknown | None:
        if i.billing is None:
            return None
        reason = unknown(i.billing) if unknown is not None else None
        if reason is not None:
            return Unknown(reason, unknown_basis or label, books_cite(i.billing.provenance))
        value = getattr(i.billing, attr)
        if attr == "clients":
            value = value[0].share if value else None
        if value is None:
            return None
        return value, label, books_cite(i.billing.provenance)

    return get


def _billable_hours(i: _Inputs) -> tuple[MetricValue, str, tuple[Provenance, ...]] | None:
    """Billable hours logged in the last complete month, from the time entries themselves."""
    gap = i.billing
    if gap is None or not gap.billable_by_month or not gap.window:
        return None
    month = gap.window[-1]
    if gap.billable_by_month[-1][0] < month:
        return None  # the log ends before the month: no figure, rather than 0 h
    hours = dict(gap.billable_by_month).get(month, Decimal(0))
    return hours, f"billable time entries in {month} (timesheets)", books_cite(gap.provenance)


#: What a rental unit returns, whatever the kind of let.
RENTAL_RETURNS: tuple[tuple[str, Getter, str], ...] = (
    ("NOI (annual)", _rental("noi_annual", "income − operating expenses"), "a ledger"),
    ("Cap rate", _rental("cap_rate", "NOI ÷ stated value"), "a stated property value"),
    ("Cash-on-cash", _rental("cash_on_cash", "cash flow ÷ cash invested"), "the cash invested"),
)
#: A rental let by the month: its KPIs are rent, months let and economic vacancy, never a
#: nightly rate or occupancy (docs/metrics.md, "Rental KPIs by kind of let").
LONG_TERM_LET: tuple[tuple[str, Getter, str], ...] = (
    ("Rent per month", _rent, "a monthly rent in the config or the note"),
    ("Months let", _months_let, "a ledger with rental income"),
    ("Economic vacancy", _economic_vacancy, "a monthly rent and a ledger"),
    *RENTAL_RETURNS,
)
#: (KPI, how it is computed, what data it needs) per entity kind; every kind also gets COMMON.
COMMON: tuple[tuple[str, Getter, str], ...] = (
    (
        "Revenue per month",
        _be("revenue_per_month", label="ledger income, window average"),
        "a ledger",
    ),
    ("Net margin", _net_margin, "a ledger with income"),
    ("Cash runway", _runway, "a ledger with an opening balance or a balance assertion"),
    (
        "Break-even",
        _be("text", label="fixed costs ÷ contribution per unit"),
        "units sold and a price per unit",
    ),
)
CATALOGUE: dict[str, tuple[tuple[str, Getter, str], ...]] = {
    "charter": (
        (
            "Charters per month",
            _be("units_per_month", label="bookings with a service date"),
            "bookings with service dates",
        ),
        ("Average charter value", _be("price", "bookings"), "bookings with amounts"),
        ("Contribution margin", _ratio, "prices and variable costs per charter"),
    ),
    "hauling": (
        ("Jobs per month", _be("units_per_month", label="bookings with a job date"), "a job log"),
        ("Average job value", _be("price", "bookings"), "a job log with prices"),
        ("Contribution margin", _ratio, "prices and variable costs per job"),
    ),
    "consultancy": (
        (
            "Billable hours per month",
            _billable_hours,
            "timesheets covering the last complete month",
        ),
        (
            "Realisation",
            _billing("realisation", "invoiced ÷ billable value"),
            "timesheets with rates and invoices",
        ),
        (
            "Unbilled work",
            _billing(
                "unbilled_logged", "billable entries with no invoice", lambda b: b.unbilled_unknown
            ),
            "timesheets with invoice refs",
        ),
        (
            "Overdue receivables",
            _billing(
                "overdue",
                "unpaid invoices past due",
                lambda b: b.receivables_unknown,
                ADD_INVOICES,
            ),
            "an invoice register",
        ),
        (
            "Largest client's share",
            _billing("clients", "invoices by client"),
            "an invoice register",
        ),
    ),
    "rental": (  # a short-term let (nightly stays); a long-term let takes LONG_TERM_LET
        ("Occupancy", _occupancy, "bookings with nights, or an occupancy the note states"),
        ("Average daily rate", _adr, "bookings with nights and amounts, or a stated nightly rate"),
        ("RevPAR", _revpar, "bookings with nights, or a ledger"),
        *RENTAL_RETURNS,
    ),
    "delivery": (
        ("Trips per month", _be("units_per_month", label="trip log"), "a trip log"),
        (
            "Revenue per nautical mile",
            _delivery("revenue_per_mile", "fees ÷ miles"),
            "a trip log with miles",
        ),
        (
            "Margin per trip",
            _delivery("margin_per_trip", "(fees − trip costs) ÷ trips"),
            "a trip log with costs",
        ),
        ("Utilisation", _delivery("utilisation", "trip days ÷ days"), "a trip log"),
    ),
    "platform": (
        (
            "Placements per month",
            _be("units_per_month", label="bookings"),
            "a placement log (bookings)",
        ),
        ("Average placement fee", _be("price", "bookings"), "a placement log with fees"),
    ),
}


#: The KPIs built on an entity's full costs (or its burn): unknown, never a figure, when its only
#: ledger is a processor's export, whose expenses are the processor's fees alone.
COSTED = frozenset({"Net margin", "Cash runway", "Break-even", "Contribution margin"})


def _costed(kpi: str, i: _Inputs) -> Unknown | None:
    """``kpi`` as unknown when it is built on costs the entity's ledgers do not show
    ("unknown, net margin needs a bank or books ledger; only a Stripe export was given")."""
    unseen = i.fin.costs_unknown if i.fin is not None else None
    if unseen is None or kpi not in COSTED:
        return None
    return Unknown(f"unknown, {kpi.lower()} {unseen}", "a bank or books ledger", ())


def kpi_framework(
    finance: FinanceResult, operations: OperationsResult, kinds: dict[str, str]
) -> list[KpiStatus]:
    """Every entity's KPIs (``kinds`` maps entity id to kind, in report order), tracked or missing."""
    out: list[KpiStatus] = []
    for entity, kind in kinds.items():
        inputs = _Inputs(
            finance.for_entity(entity),
            operations.rental(entity),
            operations.delivery(entity),
            operations.billing_gap(entity),
            finance.window_6m,
        )
        own = CATALOGUE.get(kind, ())
        if kind == "rental" and inputs.rental is not None and inputs.rental.long_term:
            own = LONG_TERM_LET
        for kpi, getter, needs in (*COMMON, *own):
            found = _costed(kpi, inputs) or getter(inputs)
            if found is None:
                out.append(KpiStatus(entity, kpi, False, None, f"missing: needs {needs}"))
            elif isinstance(found, Unknown):
                out.append(
                    KpiStatus(entity, kpi, False, found.reason, found.basis, found.provenance, True)
                )
            else:
                value, basis, provenance = found
                out.append(KpiStatus(entity, kpi, True, value, basis, provenance))
    return out
