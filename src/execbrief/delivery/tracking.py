"""Delivery confirmation and missed runs.

``track`` applies the events a transport's provider reports (``EventSource.events()``: SES reads
them from an SQS queue) to the deliveries they are about, found by the provider's message id or
by the delivery tag, moving each to ``delivered``, ``bounced``, ``complained`` or ``rejected``.
An ``unknown`` delivery (its sender crashed after the call) is settled by such an event. A status
never moves down: a complaint after a delivery stays a complaint.

``missed_periods`` lists the periods for which a configured report did not reach a recipient
(nothing sent, or it bounced or was rejected).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from execbrief.store.db import Delivery, Store
from execbrief.store.status import EVENT_RANK, REACHED, DeliveryStatus
from execbrief.transports.base import EventKind, ProviderEvent, UnreadableEvent
from execbrief.values import Period

#: The delivery status each kind of provider event means.
EVENT_STATUS = {
    EventKind.DELIVERED: DeliveryStatus.DELIVERED,
    EventKind.BOUNCED: DeliveryStatus.BOUNCED,
    EventKind.COMPLAINED: DeliveryStatus.COMPLAINED,
    EventKind.REJECTED: DeliveryStatus.REJECTED,
}


@dataclass(frozen=True)
class Change:
    """One delivery moved by an event."""

    delivery_id: int
    report: str
    period: str
    recipient: str
    before: DeliveryStatus
    after: DeliveryStatus
    event: str

    def to_dict(self) -> dict[str, Any]:
        """JSON data."""
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


@dataclass
class TrackResult:
    """What one ``track`` pass read and changed."""

    received: int = 0
    changes: list[Change] = field(default_factory=list)
    recorded: int = 0
    unmatched: list[str] = field(default_factory=list)
    malformed: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """JSON data."""
        return {
            "received": self.received,
            "recorded": self.recorded,
            "changes": [change.to_dict() for change in self.changes],
            "unmatched": self.unmatched,
            "malformed": self.malformed,
        }


def apply_event(store: Store, event: ProviderEvent) -> tuple[Delivery | None, Change | None]:
    """Record the event and move its delivery's status if the event says more than the row."""
    row = store.by_message_id(event.message_id) if event.message_id else None
    if row is None and event.delivery_id is not None:
        row = store.delivery(event.delivery_id)
        if (
            row is not None
            and row.message_id
            and event.message_id
            and row.message_id != event.message_id
        ):
            row = None  # the tag names a delivery that has since been re-sent under another id
    store.record_event(
        delivery_id=row.id if row else None,
        message_id=event.message_id,
        type=event.type,
        at=event.at or store.now(),
        detail=event.detail,
    )
    status = EVENT_STATUS.get(event.kind) if event.kind is not None else None
    if row is None or status is None:
        return row, None
    current = row.status
    if current in EVENT_RANK and EVENT_RANK[status] < EVENT_RANK[current]:
        return row, None
    if current == status:
        return row, None
    updated = store.set_status(row.id, status, message_id=row.message_id or event.message_id)
    return updated, Change(
        row.id, row.report, row.period, row.recipient, current, status, event.type
    )


def track(store: Store, events: Iterable[ProviderEvent | UnreadableEvent]) -> TrackResult:
    """Apply each provider event to the store; an unreadable one is counted and skipped."""
    result = TrackResult()
    for event in events:
        result.received += 1
        if isinstance(event, UnreadableEvent):
            result.malformed.append(f"{event.where}: {event.reason}")
            continue
        row, change = apply_event(store, event)
        result.recorded += 1
        if row is None:
            result.unmatched.append(f"{event.type} for message {event.message_id}")
        if change is not None:
            result.changes.append(change)
    return result


@dataclass(frozen=True)
class Missed:
    """A period in which a configured report did not reach every recipient."""

    report: str
    period: str
    missing: tuple[str, ...]
    statuses: dict[str, str]

    def to_dict(self) -> dict[str, Any]:
        """JSON data."""
        return {
            "report": self.report,
            "period": self.period,
            "missing": list(self.missing),
            "statuses": self.statuses,
        }


def missed_periods(
    store: Store,
    reports: dict[str, Iterable[str]],
    expect: Literal["monthly", "quarterly"],
    as_of: date,
    since: Period | None = None,
) -> list[Missed]:
    """Each (report, period) before the current one with a recipient it did not reach.

    ``reports`` maps report names to their recipients. The periods run from ``since`` (default:
    the earliest period of that cadence in the store, else the previous period) to the period
    before the one holding ``as_of``: the current period is not due yet, so in it only the
    deliveries a run already tried and did not get through (blocked, failed, unknown) count.
    """
    kind: Literal["month", "quarter"] = "month" if expect == "monthly" else "quarter"
    current = Period.containing(as_of, kind)
    rows = store.deliveries()
    periods = [p for p in (_period(row.period) for row in rows) if p is not None and p.kind == kind]
    start = since or (min(periods, key=lambda p: p.start) if periods else current.previous())
    by_key: dict[tuple[str, str, str], str] = {
        (row.report, row.period, row.recipient.lower()): row.status for row in rows
    }
    missed: list[Missed] = []
    period = start
    while period.start <= current.start:
        for report, recipients in reports.items():
            wanted = list(dict.fromkeys(recipients))
            statuses = {r: by_key.get((report, str(period), r.lower()), "none") for r in wanted}
            # the current period is not due yet, but a run that already blocked or failed in it
            # counts
            missing = tuple(
                r
                for r, status in statuses.items()
                if status not in REACHED and (period.start < current.start or status != "none")
            )
            if missing:
                missed.append(Missed(report, str(period), missing, statuses))
        period = period.next()
    return missed


def _period(text: str) -> Period | None:
    try:
        return Period.parse(text)
    except ValueError:
        return None
