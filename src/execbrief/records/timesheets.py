"""Records read from timesheets and invoice registers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from execbrief.snapshot import Record
from execbrief.values import Money


@dataclass(frozen=True)
class TimeEntry(Record):
    """Hours logged by a person for a client; ``invoice`` is set once billed."""

    date: date
    client: str
    person: str
    hours: Decimal
    billable: bool
    rate: Money | None
    invoice: str | None = None


@dataclass(frozen=True)
class Invoice(Record):
    """An invoice issued; ``paid_on`` is None while unpaid."""

    number: str
    client: str
    issued: date
    due: date
    amount: Money
    paid_on: date | None = None
