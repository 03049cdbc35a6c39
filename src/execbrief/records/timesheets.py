"""Records read from timesheets and invoice registers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from execbrief.snapshot import Record, set_by_slot
from execbrief.values import Money


@set_by_slot
@dataclass(frozen=True, slots=True)
class TimeEntry(Record):
    """Hours logged by a person for a client; ``invoice`` is set once billed.

    ``invoice_known`` is False when the export has no invoice column at all (a Toggl or Clockify
    time-entries export): whether the entry was billed is then unknown, not "no".
    ``rate_derived`` is True when the rate is the row's amount ÷ its hours (no rate column).
    """

    date: date
    client: str
    person: str
    hours: Decimal
    billable: bool
    rate: Money | None
    invoice: str | None = None
    invoice_known: bool = True
    rate_derived: bool = False


@set_by_slot
@dataclass(frozen=True, slots=True)
class Invoice(Record):
    """An invoice issued; ``paid_on`` is None while unpaid."""

    number: str
    client: str
    issued: date
    due: date
    amount: Money
    paid_on: date | None = None
