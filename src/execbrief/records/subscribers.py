"""Records read from mailing-list exports: counts only, never addresses."""

from __future__ import annotations

from dataclasses import dataclass

from execbrief.snapshot import Record


@dataclass(frozen=True)
class SubscriberCounts(Record):
    """Counts from one mailing-list export. ``by_source`` maps a signup source to a count."""

    rows: int
    unique: int
    valid: int
    opted_in: int
    by_source: dict[str, int]
