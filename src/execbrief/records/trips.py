"""Records read from delivery trip logs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from execbrief.snapshot import Record
from execbrief.values import Money


@dataclass(frozen=True)
class Trip(Record):
    """One delivery trip."""

    id: str
    start: date
    end: date
    origin: str
    destination: str
    nautical_miles: Decimal
    fee: Money
    expenses: Money
