"""The ``bookings`` source: booking and charter logs as CSV or JSON Lines, one ``Booking`` per row.

Statuses are read into the funnel's five steps (inquiry, quoted, booked, completed, cancelled),
accepting the words booking tools use ("Confirmed", "Deposit paid", "Canceled", "Estimate sent").
A channel is the key of the catalogued channel it spells (``execbrief.records.channels``:
"Get My Boat" -> ``getmyboat``, "Website" -> ``site``, "Walk-in" -> ``walk-up``), else its name
lower-cased. Customer names are private: a record keeps
only ``customer_ref``, a keyed HMAC of the normalised name (the same customer gets the same ref
across files and runs with the same key), unless ``[portfolio] show_customer_names = true``.
"""

from __future__ import annotations

import functools
import hmac
import re
from collections.abc import Mapping, Sequence, Set
from datetime import date, timedelta
from typing import Any, ClassVar

from pydantic import Field

from execbrief.hookspecs import hookimpl
from execbrief.records import channels
from execbrief.records.bookings import Booking, BookingStatus
from execbrief.snapshot import Provenance, SourceResult
from execbrief.sources import tabular
from execbrief.sources.base import BaseSource, Source, SourceRequest
from execbrief.sources.files import Column, normalize_header
from execbrief.values import Money

COLUMNS = (
    Column(
        "id",
        (
            "booking id",
            "booking",
            "booking #",
            "booking number",
            "reservation",
            "reservation id",
            "job",
            "job #",
            "job id",
            "reference",
            "ref",
        ),
        required=True,
    ),
    Column(
        "created",
        (
            "created at",
            "created on",
            "date created",
            "requested",
            "request date",
            "inquiry date",
            "enquiry date",
            "received",
            "lead date",
            "timestamp",  # Google Forms: when the response was submitted
            "submitted at",
            "submission date",
        ),
        required=True,
    ),
    Column(
        "service_date",
        (
            "service date",
            "charter date",
            "trip date",
            "job date",
            "event date",
            "start date",
            "preferred date",
            "date",
        ),
        required=False,
    ),
    # Not "state": on a form or a customer list that is the customer's address.
    Column("status", ("booking status", "stage"), required=True),
    # Not "quote": a jobs or CRM export's "Quote" is a quote number or link, not money.
    Column("amount", ("total", "price", "quoted amount", "value", "amount usd", "gross")),
    Column("deposit", ("deposit paid", "deposit amount", "deposit received")),
    Column(
        "channel",
        (
            "source",
            "lead source",
            "platform",
            "booking channel",
            "how did you hear about us",
            "how did you hear about us?",
            "how did you find us",
            "referral source",
            "referred by",
        ),
    ),
    Column("customer", ("customer name", "client", "client name", "guest", "guest name", "name")),
    # A charter (a job, a stay) is the unit: "party size", "guests", "pax" count people, not
    # bookings, and are never read as units unless the config maps them (columns = { units = ...}).
    Column("units", ("nights", "quantity", "qty")),
    # Read only when mapped (a layout's): the day the export posted the row (Airbnb's
    # transaction Date, the day of the payout that paid it).
    Column("posted"),
    # Read only when mapped (a layout's, or columns = {...}): what a platform pays the host, net
    # of its host fee (Airbnb's Amount), or that fee (a "Service fee" column) to take from amount.
    Column("payout"),
    Column("host_fee"),
    # Read only when mapped (FareHarbor's Amount Due): what the customer still owes.
    Column("amount_due"),
)

#: Headers that count people on a booking: ignored, and named as such in the column mapping.
HEADCOUNT_HEADERS = ("party size", "guests", "pax", "number of guests", "group size", "people")
_HEADCOUNT_KEYS = frozenset(normalize_header(h) for h in HEADCOUNT_HEADERS)
#: The units column's aliases: left unread only for a charter (a charter is the unit).
_UNITS_KEYS = frozenset(normalize_header(h) for h in ("nights", "quantity", "qty"))

#: Status words (compared lower-case, punctuation as spaces) and the funnel step they mean.
STATUS_WORDS: dict[str, BookingStatus] = {
    **dict.fromkeys(
        [
            "inquiry",
            "enquiry",
            "new inquiry",
            "new enquiry",
            "lead",
            "new lead",
            "new",
            "request",
            "requested",
            "open",
        ],
        BookingStatus.INQUIRY,
    ),
    **dict.fromkeys(
        [
            "quoted",
            "quote",
            "quote sent",
            "estimate",
            "estimate sent",
            "proposal",
            "proposal sent",
            "offer sent",
        ],
        BookingStatus.QUOTED,
    ),
    **dict.fromkeys(
        [
            "booked",
            "confirmed",
            "deposit paid",
            "deposit received",
            "paid",
            "reserved",
            "scheduled",
            "accepted",
            "won",
        ],
        BookingStatus.BOOKED,
    ),
    **dict.fromkeys(
        ["completed", "complete", "done", "finished", "fulfilled", "delivered", "closed won"],
        BookingStatus.COMPLETED,
    ),
    **dict.fromkeys(
        [
            "cancelled",
            "canceled",
            "cancellation",
            "declined",
            "lost",
            "closed lost",
            "refunded",
            "no show",
            "void",
        ],
        BookingStatus.CANCELLED,
    ),
}

_SEPARATORS = re.compile(r"[\s_\-/.:]+")


class BookingsOptions(tabular.RowIdOptions):
    """``bookings = { path = ..., columns = {...}, date_format = "%m/%d/%Y", currency = "USD",
    statuses = { "Paid in full" = "completed" }, id = "row" }``. ``statuses`` adds status words;
    ``id = "row"`` uses the line number as the booking id (an export with no id column).
    ``channel`` is every row's channel when the file has no channel column (a platform's own
    export: its layout sets ``airbnb``). ``payout_days`` is for a platform that takes the guest's
    money and pays the host (its layout sets it; Airbnb: 1): a row posted on or before as_of is
    paid out, a later one is expected that many days after check-in, and a booked stay whose
    check-out has passed is completed. ``completed_after_service`` (FareHarbor's layout sets it:
    its report says only Cancelled? Yes/No): a booked booking whose service date is on or before
    as_of is completed, its balance (``amount_due``, else amount − deposit) still owed when it is
    not settled, and a booking with nothing due is paid."""

    known_columns: ClassVar[tuple[str, ...]] = tuple(c.name for c in COLUMNS)
    source_kind: ClassVar[str] = "bookings"

    statuses: dict[str, BookingStatus] = Field(default_factory=dict)
    channel: str | None = None
    payout_days: int | None = Field(default=None, ge=0, le=90)
    completed_after_service: bool = False

    def reading_notes(self, fields: Set[str], ignored: Sequence[str]) -> Sequence[str]:
        """Headcount columns left unread, and a units column that changes what a unit is."""
        notes = [
            f"{header!r} is a headcount, not units (a booking is one unit unless the config "
            "maps units)"
            for header in ignored
            if normalize_header(header) in _HEADCOUNT_KEYS
        ]
        notes.extend(
            f"{header!r} is not read as units: a charter is one unit unless the config maps units"
            for header in ignored
            if normalize_header(header) in _UNITS_KEYS and "units" not in fields
        )
        if "units" in fields and "units" in self.columns:
            notes.append(f"units <- {self.columns['units']!r}: each booking counts that many units")
        return notes


def status_of(text: str, extra: Mapping[str, BookingStatus] | None = None) -> BookingStatus:
    """The funnel step a status word means; ValueError naming the allowed values otherwise."""
    key = _SEPARATORS.sub(" ", text.strip().lower()).strip()
    for word, status in (extra or {}).items():
        if _SEPARATORS.sub(" ", word.strip().lower()).strip() == key:
            return status
    if key in STATUS_WORDS:
        return STATUS_WORDS[key]
    allowed = ", ".join(s.value for s in BookingStatus)
    shown = text.strip()[:40]
    if not shown:
        raise ValueError(f"empty status; expected one of {allowed}")
    raise ValueError(
        f"unknown status {shown!r}; expected one of {allowed} (or a synonym such as confirmed, "
        "deposit paid, canceled; add others with statuses = {...})"
    )


@functools.lru_cache(maxsize=1024)  # a sheet names a handful of channels, row after row
def channel_of(text: str) -> str:
    """A booking's channel: the key of the catalogued channel it spells (``Get My Boat`` ->
    ``getmyboat``, ``Walk-in`` -> ``walk-up``), else the name in lower case with single spaces."""
    name = " ".join(text.strip().lower().split())
    if not name:
        return "unknown"
    found = channels.find(name, booking=True)
    return found.key if found is not None else name


def customer_ref(name: str, key: bytes) -> str:
    """A short keyed fingerprint of a customer name (case and spacing do not matter)."""
    normal = " ".join(name.casefold().split())
    return hmac.digest(key, normal.encode("utf-8"), "sha256").hex()[:12]


def booking_from_row(
    row: Mapping[str, str],
    where: Provenance,
    request: SourceRequest,
    options: BookingsOptions,
    ids: tabular.UniqueIds | None = None,
) -> tuple[Booking, tuple[date, date | None]]:
    """One booking from a row of canonical cells, and its dates (created, and posted when the
    export says); ValueError says what is wrong with it."""
    code = tabular.currency(request, options)
    fmt = options.format_for
    ident = (ids or tabular.UniqueIds("booking")).take(row, where, options)
    created = tabular.optional_date(row.get("created", ""), fmt("created"), what="created date")
    if created is None:
        raise ValueError("empty created date; expected the date the booking or inquiry came in")
    service = tabular.optional_date(
        row.get("service_date", ""), fmt("service_date"), what="service date"
    )
    status = status_of(row.get("status", ""), options.statuses)
    amount = tabular.optional_money(row.get("amount", ""), code, what="amount")
    deposit = tabular.optional_money(row.get("deposit", ""), code, what="deposit")
    payout = _payout(row, amount, code)
    units_text = row.get("units", "").strip()
    units = 1
    if units_text:
        units = whole_units(units_text)
    name = row.get("customer", "").strip()
    posted = tabular.optional_date(row.get("posted", ""), fmt("posted"), what="posted date")
    paid, due = False, None
    if options.completed_after_service:
        status, paid, due = served_terms(status, service, amount, deposit, row, request, options)
    elif options.payout_days is not None:
        end = service + timedelta(days=units) if service is not None else None  # check-out
        status, paid, due = platform_terms(
            status, service, end, posted, request.as_of, options.payout_days
        )
    booking = Booking(
        entity=request.entity.id,
        provenance=where,
        id=ident,
        created=created,
        service_date=service,
        status=status,
        amount=amount,
        deposit=deposit,
        channel=channel_of(row.get("channel", "") or options.channel or ""),
        customer_ref=customer_ref(name, request.fingerprint_key) if name else None,
        customer_name=name if name and request.show_customer_names else None,
        units=units,
        paid=paid,
        balance_due=due,
        payout=payout,
    )
    # the file is as recent as the latest date it posted (Airbnb: a payout's day), not only
    # its latest booking date
    return booking, (created, posted)


def whole_units(text: str) -> int:
    """A whole number of 1 or more, written ``2`` or ``2.0`` (Square's ``Qty``); ValueError else."""
    whole, _, fraction = text.partition(".")
    if not whole.isdigit() or fraction.strip("0") or int(whole) < 1:
        raise ValueError(f"bad units {text[:20]!r}; expected a whole number of 1 or more")
    return int(whole)


def _payout(row: Mapping[str, str], amount: Money | None, code: str) -> Money | None:
    """What the host is paid: the ``payout`` cell, else ``amount`` − the ``host_fee`` cell; None
    when the row says neither (the booking is paid its amount)."""
    payout = tabular.optional_money(row.get("payout", ""), code, what="payout")
    if payout is not None:
        return payout
    fee = tabular.optional_money(row.get("host_fee", ""), code, what="host fee")
    if fee is None or amount is None:
        return None
    if fee.amount > amount.amount:
        raise ValueError(
            f"host fee {fee} is more than the amount {amount}; expected the platform's fee on it"
        )
    return amount - fee


def served_terms(
    status: BookingStatus,
    service: date | None,
    amount: Money | None,
    deposit: Money | None,
    row: Mapping[str, str],
    request: SourceRequest,
    options: BookingsOptions,
) -> tuple[BookingStatus, bool, date | None]:
    """A booking tool's booking (FareHarbor's), ``(status, paid, balance_due)``: paid when
    nothing is due (its Amount Due is 0, else its deposit covers its amount); a booked one whose
    service date is on or before as_of is completed, its balance still due on that date when it
    is not paid (the forecast then counts it as unpaid and at risk)."""
    code = tabular.currency(request, options)
    owed = tabular.optional_money(row.get("amount_due", ""), code, what="amount due")
    if owed is None and amount is not None:
        owed = amount - (deposit or Money(0, amount.currency))
    paid = owed is not None and owed.amount <= 0 and status is not BookingStatus.CANCELLED
    if status is BookingStatus.BOOKED and service is not None and service <= request.as_of:
        return BookingStatus.COMPLETED, paid, None if paid else service
    return status, paid, None


def platform_terms(
    status: BookingStatus,
    service: date | None,
    end: date | None,
    posted: date | None,
    as_of: date,
    payout_days: int,
) -> tuple[BookingStatus, bool, date | None]:
    """A platform's reservation (it collects from the guest and pays the host): ``(status, paid,
    balance_due)``. Posted on or before as_of, it is paid out (nothing is due); else its payout is
    expected ``payout_days`` after check-in. A booked stay whose check-out is on or before as_of
    is completed. A cancelled (or not yet booked) one has no payout due."""
    if status is BookingStatus.BOOKED and end is not None and end <= as_of:
        status = BookingStatus.COMPLETED
    paid = posted is not None and posted <= as_of
    sold = status in (BookingStatus.BOOKED, BookingStatus.COMPLETED)
    due = service + timedelta(days=payout_days) if service and sold and not paid else None
    return status, paid, due


class BookingsSource(BaseSource):
    """Booking and charter history: CSV (``.csv``) or JSON Lines (``.jsonl``)."""

    name: ClassVar[str] = "bookings"
    description: ClassVar[str] = (
        "booking and charter logs (CSV or JSON Lines): funnel, channels, deposits"
    )
    Options: ClassVar[type[BookingsOptions]] = BookingsOptions

    def collect(self, request: SourceRequest) -> SourceResult:
        """Read every configured bookings file; bad rows are counted and quoted, never fatal."""
        options = request.spec.options
        opts = options if isinstance(options, BookingsOptions) else BookingsOptions()
        ids = tabular.UniqueIds("booking")

        def mapper(file_opts: Any) -> tabular.RowMapper:
            def read(
                row: Mapping[str, str], where: Provenance
            ) -> tuple[Any, tuple[date, date | None]]:
                return booking_from_row(row, where, request, file_opts, ids)

            return read

        def columns(file_opts: Any) -> tuple[Column, ...]:
            return columns_for(request.entity.kind, file_opts)

        return tabular.read_table(
            request, self.name, columns, mapper, opts, jsonl=True, factory=True
        )


def columns_for(kind: str, options: BookingsOptions) -> tuple[Column, ...]:
    """The columns read for an entity of ``kind``: a charter's units column is read only when it is
    headed ``units`` or mapped in the config (a charter is one unit whatever its headcount)."""
    columns = tabular.id_columns(COLUMNS, options)
    if kind != "charter" or "units" in options.columns:
        return columns
    return tuple(Column("units") if c.name == "units" else c for c in columns)


@hookimpl
def register_sources() -> list[Source]:
    """The bookings source."""
    return [BookingsSource()]
