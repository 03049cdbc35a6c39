"""Delivery confirmation and missed runs.

``track`` reads SES event notifications from an SQS queue (configuration set -> SNS -> SQS, or
SNS with raw message delivery) and moves each delivery, found by the API MessageId or by the
``execbrief-delivery`` tag, to ``delivered``, ``bounced``, ``complained`` or ``rejected``. An
``unknown`` delivery (its sender crashed after the call) is settled by such an event. A status
never moves down: a complaint after a delivery stays a complaint.

``missed_periods`` lists the periods for which a configured report did not reach a recipient
(nothing sent, or it bounced or was rejected).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from execbrief.store.db import ACCEPTED, EVENT_RANK, Delivery, Store
from execbrief.values import Period

#: SES event types and the delivery status each one means.
EVENT_STATUS = {
    "Delivery": "delivered",
    "Bounce": "bounced",
    "Complaint": "complained",
    "Reject": "rejected",
}
DELIVERY_TAG = "execbrief-delivery"
#: The statuses in which the report reached its recipient (or may yet: ``sent``, no event yet).
#: A bounce or an SES reject is accepted by the provider but never reached the mailbox.
REACHED = ACCEPTED - {"bounced", "rejected"}


@dataclass(frozen=True)
class Change:
    """One delivery moved by an event."""

    delivery_id: int
    report: str
    period: str
    recipient: str
    before: str
    after: str
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


@dataclass(frozen=True)
class SesEvent:
    """The parts of an SES event execbrief uses (nothing secret: ids, types, times, reasons)."""

    type: str
    message_id: str | None
    delivery_id: int | None
    at: str
    detail: dict[str, Any]


def parse_event(body: str) -> SesEvent:
    """Read one SQS message body: an SNS envelope around an SES event, or the bare event.

    Raises ValueError naming what is missing when the body is not an SES event.
    """
    data = json.loads(body)
    if not isinstance(data, dict):
        raise ValueError("the message body is not a JSON object")
    if data.get("Type") == "Notification" and isinstance(data.get("Message"), str):
        data = json.loads(data["Message"])
        if not isinstance(data, dict):
            raise ValueError("the SNS Message is not a JSON object")
    kind = data.get("eventType") or data.get("notificationType")
    mail = data.get("mail")
    if not isinstance(kind, str) or not isinstance(mail, dict):
        raise ValueError("not an SES event: expected eventType (or notificationType) and mail")
    tags = mail.get("tags") or {}
    tagged = tags.get(DELIVERY_TAG) if isinstance(tags, dict) else None
    delivery_id = None
    if isinstance(tagged, list) and tagged and str(tagged[0]).isdigit():
        delivery_id = int(tagged[0])
    section = data.get(kind[:1].lower() + kind[1:]) or {}
    at = str(section.get("timestamp") or mail.get("timestamp") or "")
    detail: dict[str, Any] = {"eventType": kind}
    if kind == "Bounce":
        detail.update(
            bounceType=section.get("bounceType"),
            bounceSubType=section.get("bounceSubType"),
            recipients=[
                r.get("emailAddress")
                for r in section.get("bouncedRecipients", [])
                if isinstance(r, dict)
            ],
            diagnostic=next(
                (
                    r.get("diagnosticCode")
                    for r in section.get("bouncedRecipients", [])
                    if isinstance(r, dict) and r.get("diagnosticCode")
                ),
                None,
            ),
        )
    elif kind == "Complaint":
        detail.update(feedbackType=section.get("complaintFeedbackType"))
    elif kind == "Reject":
        detail.update(reason=section.get("reason"))
    elif kind == "Delivery":
        detail.update(
            smtpResponse=section.get("smtpResponse"), recipients=section.get("recipients")
        )
    return SesEvent(
        kind,
        mail.get("messageId"),
        delivery_id,
        at,
        {k: v for k, v in detail.items() if v is not None},
    )


def apply_event(store: Store, event: SesEvent) -> tuple[Delivery | None, Change | None]:
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
    status = EVENT_STATUS.get(event.type)
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


def track(
    store: Store, sqs: Any, queue_url: str, *, max_batches: int = 100, wait_seconds: int = 1
) -> TrackResult:
    """Drain SES events from the SQS queue into the store; each message is deleted once recorded."""
    result = TrackResult()
    for _ in range(max_batches):
        answer = sqs.receive_message(
            QueueUrl=queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=wait_seconds
        )
        messages = answer.get("Messages") or []
        if not messages:
            break
        for message in messages:
            result.received += 1
            try:
                event = parse_event(message.get("Body", ""))
            except (ValueError, TypeError) as exc:
                result.malformed.append(f"SQS message {message.get('MessageId')}: {exc}")
            else:
                row, change = apply_event(store, event)
                result.recorded += 1
                if row is None:
                    result.unmatched.append(f"{event.type} for message {event.message_id}")
                if change is not None:
                    result.changes.append(change)
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
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
    before the one holding ``as_of``: the current period is not due yet.
    """
    kind: Literal["month", "quarter"] = "month" if expect == "monthly" else "quarter"
    current = Period.containing(as_of, kind)
    rows = store.deliveries()
    periods = [p for p in (_period(row.period) for row in rows) if p is not None and p.kind == kind]
    start = since or (min(periods, key=lambda p: p.start) if periods else current.previous())
    by_key = {(row.report, row.period, row.recipient.lower()): row.status for row in rows}
    missed: list[Missed] = []
    period = start
    while period.start < current.start:
        for report, recipients in reports.items():
            wanted = list(dict.fromkeys(recipients))
            statuses = {r: by_key.get((report, str(period), r.lower()), "none") for r in wanted}
            missing = tuple(r for r, status in statuses.items() if status not in REACHED)
            if missing:
                missed.append(Missed(report, str(period), missing, statuses))
        period = period.next()
    return missed


def _period(text: str) -> Period | None:
    try:
        return Period.parse(text)
    except ValueError:
        return None
