"""The forecast's measured assumptions, each stated with what it was measured from: every
client's payment lag (days paid after the due date), the entity's booking lead time (days from
booking to service), its deposit share and the weekly pace of new bookings' deposits.

Each one can be overridden in ``[entities.settings.forecast]``; an override says so in its basis.
Medians are exact (the mean of the two middle values for an even count); a lag in days is rounded
to a whole day, half away from zero, only where it moves a date.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from execbrief.analysis import books
from execbrief.analysis.forecast.options import ForecastEntityOptions
from execbrief.records.bookings import Booking, BookingStatus
from execbrief.records.timesheets import Invoice
from execbrief.snapshot import Provenance
from execbrief.values import Money

#: Bookings that are committed (a deposit was taken or the service happened).
COMMITTED = frozenset({BookingStatus.BOOKED, BookingStatus.COMPLETED})
#: The window the pace of new bookings is measured over: the 13 weeks before as_of.
PACE_DAYS = 91
OVERRIDE = "set in [entities.settings.forecast]"


@dataclass(frozen=True)
class Assumption:
    """One stated assumption: ``value`` in ``unit`` (days, share or money a week), and ``basis``
    (how it was measured, or that it was set in the config), citing the rows it rests on."""

    entity: str
    name: str
    value: Decimal
    unit: str
    basis: str
    provenance: tuple[Provenance, ...] = ()

    def describe(self) -> str:
        """ "payment lag, Keel & Co.: 12 days (median of 3 paid invoices)"."""
        if self.unit == "share":
            # exact in the data; a sentence shows a tenth of a percent (30.2%, not 30.2083…%)
            tenths = (self.value * 100).quantize(Decimal("0.1"), ROUND_HALF_UP)
            shown = f"{tenths.normalize():f}%"
        elif self.unit == "days":
            shown = f"{self.value.normalize():f} days"
        else:
            shown = f"{Money(self.value, self.unit).quantize()} a week"
        return f"{self.name}: {shown} ({self.basis})"

    @property
    def days(self) -> int:
        """The value as whole days (half away from zero)."""
        return int(self.value.to_integral_value(rounding=ROUND_HALF_UP))


def median(values: Sequence[Decimal]) -> Decimal:
    """The exact median (mean of the two middle values for an even count)."""
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


@dataclass(frozen=True)
class PaymentLags:
    """Each client's lag and the entity's (the median over every paid invoice) for the others."""

    clients: dict[str, Assumption]
    default: Assumption | None

    def of(self, client: str) -> Assumption | None:
        """The lag used for ``client``: its own, else the entity's."""
        return self.clients.get(client, self.default)


def payment_lags(
    entity: str, invoices: Sequence[Invoice], as_of: date, eopts: ForecastEntityOptions
) -> PaymentLags:
    """Days each client paid after the due date (negative: early), the median over its invoices
    paid on or before as_of; the entity's median over all of them for a client with none."""
    paid = [i for i in invoices if i.paid_on is not None and i.paid_on <= as_of]

    def lag(name: str, rows: Sequence[Invoice]) -> Assumption:
        days = median([Decimal((i.paid_on - i.due).days) for i in rows if i.paid_on])
        return Assumption(
            entity,
            name,
            days,
            "days",
            f"median of {len(rows)} paid invoice{'s' if len(rows) != 1 else ''}, paid date - due date",
            books.cite(rows),
        )

    clients = {
        client: lag(f"payment lag, {client}", [i for i in paid if i.client == client])
        for client in sorted({i.client for i in paid})
    }
    default = lag("payment lag, any other client", paid) if paid else None
    if eopts.payment_lag_days is not None:
        fixed = Decimal(eopts.payment_lag_days)
        clients = {c: _set(a, fixed) for c, a in clients.items()}
        default = Assumption(entity, "payment lag, every client", fixed, "days", OVERRIDE)
    for client, days in eopts.client_lags.items():
        clients[client] = Assumption(
            entity, f"payment lag, {client}", Decimal(days), "days", OVERRIDE
        )
    return PaymentLags(clients, default)


def _set(assumption: Assumption, value: Decimal) -> Assumption:
    return Assumption(assumption.entity, assumption.name, value, assumption.unit, OVERRIDE)


@dataclass(frozen=True)
class BookingPace:
    """The entity's booking lead time, deposit share and the weekly deposits and balances of the
    bookings made in the 13 weeks before as_of (the pace new bookings are forecast at)."""

    lead: Assumption
    share: Assumption | None
    deposits: Assumption
    balances: Assumption

    @property
    def all(self) -> tuple[Assumption, ...]:
        """Every assumption of the pace, for the report."""
        return tuple(a for a in (self.lead, self.share, self.deposits, self.balances) if a)


def booking_pace(
    entity: str,
    bookings: Sequence[Booking],
    as_of: date,
    eopts: ForecastEntityOptions,
    currency: str,
) -> BookingPace | None:
    """The pace of new bookings, or None when no committed booking with a service date and an
    amount was made on or before as_of."""
    made = [
        b
        for b in bookings
        if b.status in COMMITTED
        and b.service_date is not None
        and b.amount is not None
        and b.created <= as_of
    ]
    if not made:
        return None
    lead = Assumption(
        entity,
        "booking lead time",
        median([Decimal((b.service_date - b.created).days) for b in made if b.service_date]),
        "days",
        f"median of {len(made)} committed bookings, service date - booking date",
        books.cite(made),
    )
    if eopts.deposit_lead_days is not None:
        lead = _set(lead, Decimal(eopts.deposit_lead_days))
    share = _deposit_share(entity, made, eopts)
    window = [b for b in made if as_of - timedelta(days=PACE_DAYS) < b.created]
    weeks = Decimal(PACE_DAYS // 7)
    deposits = sum((_deposit(b, share) for b in window), Decimal(0))
    # what reaches the host: a platform's payout net of its host fee when the export gives it
    amounts = sum((r.amount for b in window if (r := b.received())), Decimal(0))
    since = (as_of - timedelta(days=PACE_DAYS - 1)).isoformat()
    basis = f"{len(window)} committed bookings made {since}..{as_of.isoformat()}, ÷ 13 weeks"
    cited = books.cite(window)
    net = (
        ", at their payouts net of the host fee"
        if any(b.payout is not None for b in window)
        else ""
    )
    return BookingPace(
        lead,
        share,
        Assumption(entity, "new bookings' deposits", deposits / weeks, currency, basis, cited),
        Assumption(
            entity,
            "new bookings' balances",
            (amounts - deposits) / weeks,
            currency,
            basis + net,
            cited,
        ),
    )


def _deposit_share(
    entity: str, made: Sequence[Booking], eopts: ForecastEntityOptions
) -> Assumption | None:
    with_deposit = [b for b in made if b.deposit is not None and b.amount and b.amount.amount > 0]
    if eopts.deposit_share is not None:
        return Assumption(entity, "deposit share", eopts.deposit_share, "share", OVERRIDE)
    if not with_deposit:
        return None
    shares = [b.deposit.amount / b.amount.amount for b in with_deposit if b.deposit and b.amount]
    return Assumption(
        entity,
        "deposit share",
        median(shares),
        "share",
        f"median of {len(with_deposit)} bookings' deposit ÷ amount",
        books.cite(with_deposit),
    )


def _deposit(booking: Booking, share: Assumption | None) -> Decimal:
    """A booking's deposit: the stated one, else its amount × the deposit share (else none)."""
    if booking.deposit is not None:
        return booking.deposit.amount
    if share is None or booking.amount is None:
        return Decimal(0)
    return booking.amount.amount * share.value
