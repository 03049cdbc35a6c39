"""The forecast's inflow and outflow rules: which expected cash movement each row of the files
gives, on which day, citing that row (docs/metrics.md, "13-week cash forecast").

Inflows: booking balances on their service dates; new bookings' deposits at the measured weekly
pace (their balances a lead time later); open invoices on their due date shifted by the client's
payment lag; recurring income. Outflows: recurring charges, loan payments and payroll on their
cadence from their last date; ledger lines dated after as_of (known one-off bills). A known
line of a recurring payee stands for that payee's occurrence nearest it (within half a cadence
step), which is then not carried as well: the same payment is never counted twice.
"""

from __future__ import annotations

import calendar
import functools
import operator
import re
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from itertools import pairwise

from execbrief.analysis import books
from execbrief.analysis.accounting import DAYS_PER_MONTH, every_months
from execbrief.analysis.forecast.assumptions import BookingPace, PaymentLags, median
from execbrief.analysis.forecast.options import ForecastOptions
from execbrief.records.bookings import Booking, BookingStatus
from execbrief.records.ledger import Transaction
from execbrief.records.timesheets import Invoice
from execbrief.snapshot import Provenance, set_in_dict
from execbrief.values import Money

INFLOW_KINDS = ("booking balance", "new bookings", "invoice", "recurring income")
OUTFLOW_KINDS = ("recurring charge", "loan payment", "payroll", "bill")


@set_in_dict
@dataclass(frozen=True)
class ForecastLine:
    """One expected cash movement: ``amount`` positive in, negative out, on ``day``.
    ``at_risk`` says why an inflow may not come (an overdue invoice, a balance unpaid after its
    service date); ``None`` when nothing is known against it."""

    entity: str
    day: date
    kind: str
    label: str
    amount: Money
    provenance: tuple[Provenance, ...] = ()
    at_risk: str | None = None


@dataclass(frozen=True)
class Horizon:
    """The forecast's days: the day after as_of to ``end`` (13 weeks later)."""

    as_of: date
    end: date

    @property
    def first(self) -> date:
        """The first forecast day."""
        return self.as_of + timedelta(days=1)

    def holds(self, day: date) -> bool:
        """Whether ``day`` falls inside the forecast."""
        return self.first <= day <= self.end


def booking_balances(
    entity: str, bookings: Sequence[Booking], horizon: Horizon
) -> Iterator[ForecastLine]:
    """A booked booking's balance (amount - deposit; a platform's expected payout, net of its
    host fee, when the export gives it) on its service date (or the day its balance is due, when
    the source says: Airbnb pays the day after check-in); one whose day has passed
    while it is still booked (not completed) is unpaid, due on the first day. A booking paid in
    full (a platform's paid-out reservation) has nothing due; a platform's stay that has ended
    with no payout posted is still owed (its ``balance_due`` is set)."""
    for b in bookings:
        owed = b.status == BookingStatus.BOOKED or (
            b.status == BookingStatus.COMPLETED and b.balance_due is not None
        )
        received = b.received()  # a platform's payout, net of its host fee, when it says
        if not owed or received is None or b.service_date is None:
            continue
        balance = received - (b.deposit or Money(0, received.currency))
        if b.paid or balance.amount <= 0 or b.created > horizon.as_of:
            continue
        due = b.balance_due or b.service_date
        late = due <= horizon.as_of
        day = horizon.first if late else due
        if not horizon.holds(day):
            continue
        yield ForecastLine(
            entity,
            day,
            "booking balance",
            f"{b.id} balance, service {b.service_date.isoformat()}",
            balance,
            (b.provenance,),
            f"unpaid since service on {b.service_date.isoformat()}" if late else None,
        )


def new_bookings(
    entity: str, pace: BookingPace | None, horizon: Horizon, weeks: int
) -> Iterator[ForecastLine]:
    """Each week, the new bookings' deposits at the measured pace (on the week's last day); their
    balances arrive the lead time later (rounded to whole weeks) when that is still inside."""
    if pace is None:
        return
    currency = pace.deposits.unit
    lag_weeks = lead_weeks(pace.lead.value)
    cited = pace.deposits.provenance
    for week in range(1, weeks + 1):
        end = horizon.as_of + timedelta(days=7 * week)
        if pace.deposits.value > 0:
            yield ForecastLine(
                entity,
                end,
                "new bookings",
                "new bookings' deposits",
                Money(pace.deposits.value, currency),
                cited,
            )
        if pace.balances.value > 0 and week + lag_weeks <= weeks:
            yield ForecastLine(
                entity,
                end + timedelta(days=7 * lag_weeks),
                "new bookings",
                f"balances of week {week}'s new bookings",
                Money(pace.balances.value, currency),
                cited,
            )


def lead_weeks(days: Decimal) -> int:
    """A lead time in whole weeks: the whole weeks, one more when the days left over are 4 or
    more (31.5 days is 4 weeks and 3.5 days: 4 weeks; 32 days: 5). The exact days are weighed,
    not days first rounded to a whole day."""
    whole, left = divmod(days, 7)
    return int(whole) + (1 if left >= 4 else 0)


def open_invoices(
    entity: str, invoices: Sequence[Invoice], lags: PaymentLags, horizon: Horizon
) -> Iterator[ForecastLine]:
    """An invoice unpaid on as_of arrives on its due date + its client's lag; one expected on or
    before as_of arrives on the first day. An invoice past its due date is at risk."""
    for inv in invoices:
        if inv.issued > horizon.as_of or (inv.paid_on is not None and inv.paid_on <= horizon.as_of):
            continue
        lag = lags.of(inv.client)
        days = lag.days if lag is not None else 0
        expected = inv.due + timedelta(days=days)
        day = max(expected, horizon.first)
        if not horizon.holds(day):
            continue
        shift = f" {days:+d} days" if days else ""
        yield ForecastLine(
            entity,
            day,
            "invoice",
            f"{inv.number} {inv.client}, due {inv.due.isoformat()}{shift}",
            inv.amount,
            (inv.provenance, *(lag.provenance if lag else ())),
            _overdue(inv.due, horizon.as_of),
        )


def _overdue(due: date, as_of: date) -> str | None:
    """ "due 2026-07-30, overdue 62 days" for an invoice past its due date on as_of."""
    late = (as_of - due).days
    if late <= 0:
        return None
    return f"due {due.isoformat()}, overdue {late} day{'s' if late != 1 else ''}"


def future_bills(
    entity: str, rows: Sequence[Transaction], horizon: Horizon
) -> Iterator[ForecastLine]:
    """Ledger lines dated inside the forecast that move cash out: bills already known."""
    first, end = horizon.first, horizon.end
    for tx in rows:
        if not first <= tx.date <= end:  # ``horizon.holds``, asked of every line
            continue
        effect = books.cash_effect(tx)
        if effect.amount < 0:
            label = tx.counterparty or tx.memo or tx.category
            yield ForecastLine(
                entity, tx.date, "bill", f"{label} ({tx.category})", effect, (tx.provenance,)
            )


@dataclass(frozen=True)
class Payees:
    """A ledger's cash lines by payee and direction (``(payee, inflow)``): those up to as_of, and
    the dates of those inside the forecast that move cash out (its known bills). Grouped once
    for the recurring charges and the recurring income both."""

    lines: dict[tuple[str, bool], list[Transaction]]
    known: dict[tuple[str, bool], list[date]]


_CASH = operator.attrgetter("cash")


def payees(rows: Sequence[Transaction], horizon: Horizon) -> Payees:
    """The ``Payees`` of ``rows``: a line that moves no cash or names no payee is left out."""
    groups: dict[tuple[str, bool], list[Transaction]] = defaultdict(list)
    known: dict[tuple[str, bool], list[date]] = defaultdict(list)
    as_of, first, end = horizon.as_of, horizon.first, horizon.end
    for tx in filter(_CASH, rows):  # a line off cash moves nothing (``cash_amount`` is zero)
        effect = books.cash_amount(tx)  # a Decimal: the Money is made for the lines carried
        if effect == 0 or not (name := books.payee(tx)):
            continue
        key = (name, effect > 0)
        day = tx.date
        if day <= as_of:
            groups[key].append(tx)
        elif first <= day <= end and effect < 0:  # ``horizon.holds``
            known[key].append(day)  # a known bill (``future_bills``) of this payee
    return Payees(groups, known)


def recurring(
    entity: str,
    rows: Sequence[Transaction] | Payees,
    horizon: Horizon,
    options: ForecastOptions,
    *,
    income: bool,
) -> Iterator[ForecastLine]:
    """Every recurring cash line carried forward on its cadence from its last date: a payee paid
    (or, with ``income``, paying) about the same amount in at least ``recurring_months`` months,
    still running (its last date within two steps of as_of). Payroll may vary (the latest is used).
    ``rows``: the ledger's lines, or their ``payees`` when a caller has grouped them."""
    grouped = rows if isinstance(rows, Payees) else payees(rows, horizon)
    known = grouped.known
    payroll, loan = _words(options.payroll_words), _words(options.loan_words)
    for (_payee, inflow), lines in sorted(grouped.lines.items()):
        if inflow != income:
            continue
        group = sorted(lines, key=_DAY)  # a copy: the grouping is the caller's
        text = " ".join((group[-1].account, group[-1].category, _payee))
        kind = "recurring income" if income else _kind(text, payroll, loan)
        chosen = _steady(group, options, varies=kind == "payroll")
        if chosen is None:
            continue
        yield from _carry(entity, kind, chosen, horizon, known.get((_payee, inflow), []))


_DAY = operator.attrgetter("date")


def _kind(text: str, payroll: re.Pattern[str], loan: re.Pattern[str]) -> str:
    if loan.search(text):
        return "loan payment"
    if payroll.search(text):
        return "payroll"
    return "recurring charge"


def _words(words: Sequence[str]) -> re.Pattern[str]:
    """Any of ``words`` as whole words, in any case (never a match when there are none)."""
    return _words_pattern(tuple(words))


@functools.lru_cache(maxsize=64)  # asked per entity, of the options' two word lists
def _words_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(w) for w in words) or r"(?!)"
    return re.compile(rf"\b(?:{alternatives})\b", re.IGNORECASE)


def _steady(
    group: list[Transaction], options: ForecastOptions, *, varies: bool
) -> list[Transaction] | None:
    """The group's lines of about the latest amount when they recur in enough months."""
    latest = abs(group[-1].amount.amount)
    similar = [
        t
        for t in group
        if varies or abs(abs(t.amount.amount) - latest) <= latest * options.tolerance
    ]
    months = books.month_count(map(_DAY, similar))
    if months < options.recurring_months or len(similar) < Decimal("0.8") * len(group):
        return None
    return similar


def _carry(
    entity: str,
    kind: str,
    lines: list[Transaction],
    horizon: Horizon,
    known: Sequence[date] = (),
) -> Iterator[ForecastLine]:
    """The next occurrences of a recurring line inside the forecast: every ``n`` days when the
    median gap is under 25 days (weekly, fortnightly pay), else every ``n`` months on its day.
    An occurrence within half a step of a ``known`` (future-dated, already booked) line of the
    same payee is that line, which the forecast counts as a bill: it is not carried too."""
    dates = [t.date for t in lines]
    gaps = [Decimal((b - a).days) for a, b in pairwise(dates)]
    gap = median(gaps) if gaps else Decimal(30)
    if gap < 1:
        return  # paid several times a day (a till's lines): no cadence to carry
    last = lines[-1]
    effect = books.cash_effect(last)
    every_days = int(gap) if gap < 25 else None
    months = every_months(dates) if every_days is None else 0
    span = Decimal(every_days) if every_days else months * DAYS_PER_MONTH
    if Decimal((horizon.as_of - last.date).days) > 2 * span:
        return  # it stopped
    cadence = f"every {every_days} days" if every_days else _cadence(months)
    label = f"{last.counterparty or books.payee(last)} ({last.category}), {cadence}"
    cited = books.cite(lines)
    step = 1
    while True:
        day = _step(last.date, step, every_days, months)
        step += 1
        if day > horizon.end:
            return
        booked = any(abs(Decimal((day - k).days)) * 2 < span for k in known)
        if horizon.holds(day) and not booked:
            yield ForecastLine(entity, day, kind, label, effect, cited)


def _cadence(months: int) -> str:
    return {1: "monthly", 3: "quarterly", 12: "yearly"}.get(months, f"every {months} months")


def _step(start: date, n: int, every_days: int | None, months: int) -> date:
    if every_days:
        return start + timedelta(days=every_days * n)
    return add_months(start, months * n)


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (the month's last day when it is shorter)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))
