"""Records read from booking and charter logs."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date

from execbrief.snapshot import Record, set_by_slot
from execbrief.values import Money


class BookingStatus(enum.StrEnum):
    """Where a booking stands in the funnel."""

    INQUIRY = "inquiry"
    QUOTED = "quoted"
    BOOKED = "booked"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


@set_by_slot
@dataclass(frozen=True, slots=True)
class Booking(Record):
    """One booking. ``customer_ref`` is a keyed fingerprint of the customer name, never the name
    (unless ``show_customer_names`` is set, when ``customer_name`` is kept).

    ``paid`` says the whole amount has reached the host (a platform's paid-out reservation:
    nothing is due); ``balance_due`` is the day the balance is expected when that is not the
    service date (Airbnb pays the host the day after check-in). ``payout`` is what the host is
    paid for it when the export says, net of the platform's host fee (Airbnb's ``Amount``, or
    ``amount`` − a ``host_fee`` column): the cash forecast expects that, not ``amount``."""

    id: str
    created: date
    service_date: date | None
    status: BookingStatus
    amount: Money | None
    deposit: Money | None
    channel: str
    customer_ref: str | None = None
    customer_name: str | None = None
    units: int = 1
    paid: bool = False
    balance_due: date | None = None
    payout: Money | None = None

    def received(self) -> Money | None:
        """What reaches the host for the booking: its ``payout`` when the export says, else its
        ``amount`` (a direct booking is paid in full)."""
        return self.payout if self.payout is not None else self.amount
