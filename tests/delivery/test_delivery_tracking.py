"""SES event parsing (transports/ses.py) and how provider events move deliveries (unit level; the
SQS path is in the CLI test)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from execbrief.delivery.tracking import apply_event, missed_periods, track
from execbrief.store.db import DeliveryKey, Store
from execbrief.store.status import DeliveryStatus
from execbrief.transports.base import EventKind, ProviderEvent, UnreadableEvent
from execbrief.transports.ses import parse_event
from kits.delivery import FakeTime


def envelope(event: dict) -> str:
    return json.dumps({"Type": "Notification", "MessageId": "sns-1", "Message": json.dumps(event)})


def test_parse_sns_wrapped_and_raw_events() -> None:
    event = {
        "eventType": "Bounce",
        "mail": {"messageId": "m-1", "tags": {"execbrief-delivery": ["7"]}},
        "bounce": {
            "bounceType": "Permanent",
            "timestamp": "2026-11-20T08:00:05Z",
            "bouncedRecipients": [{"emailAddress": "b@x.example", "diagnosticCode": "550 no"}],
        },
    }
    parsed = parse_event(envelope(event))
    assert (parsed.kind, parsed.type, parsed.message_id, parsed.delivery_id, parsed.at) == (
        EventKind.BOUNCED,
        "Bounce",
        "m-1",
        7,
        datetime(2026, 11, 20, 8, 0, 5, tzinfo=UTC),
    )
    assert parsed.detail == {
        "eventType": "Bounce",
        "bounceType": "Permanent",
        "recipients": ["b@x.example"],
        "diagnostic": "550 no",
    }
    legacy = {
        "notificationType": "Complaint",
        "mail": {"messageId": "m-2"},
        "complaint": {"complaintFeedbackType": "abuse"},
    }
    assert parse_event(json.dumps(legacy)).detail == {
        "eventType": "Complaint",
        "feedbackType": "abuse",
    }
    for garbage in ("[]", '{"Type": "Notification", "Message": "{}"}', '{"eventType": "Send"}'):
        with pytest.raises(ValueError):
            parse_event(garbage)
    # an event that says nothing of the outcome is still an event, of no kind
    send = parse_event(json.dumps({"eventType": "Send", "mail": {"messageId": "m-3"}}))
    assert (send.kind, send.type, send.at) == (None, "Send", None)


def test_track_applies_any_transports_events(tmp_path: Path) -> None:
    # tracking knows no provider: typed events in, deliveries moved, the unreadable counted
    with Store(tmp_path / "s.db", clock=FakeTime().now) as store:
        run = store.start_run("send")
        row = store.claim(
            DeliveryKey("ceo", "2026-11", "a@x.example"),
            run_id=run,
            transport="pigeon",
            content_sha256="x",
        ).delivery
        store.complete(row.id, "coo-1")
        at = datetime(2026, 11, 21, 9, 30, tzinfo=UTC)
        result = track(
            store,
            [
                ProviderEvent(EventKind.DELIVERED, "landed", "coo-1", at=at),
                ProviderEvent(None, "preened", "coo-1"),
                ProviderEvent(EventKind.COMPLAINED, "pecked", "coo-1", detail={"by": "a"}),
                ProviderEvent(EventKind.DELIVERED, "landed", "coo-2"),
                UnreadableEvent("loft 3", "not a pigeon"),
            ],
        )
        assert (result.received, result.recorded) == (5, 4)
        assert [(c.before, c.after, c.event) for c in result.changes] == [
            ("sent", "delivered", "landed"),
            ("delivered", "complained", "pecked"),
        ]
        assert result.unmatched == ["landed for message coo-2"]
        assert result.malformed == ["loft 3: not a pigeon"]
        moved = store.delivery(row.id)
        assert moved is not None and moved.status is DeliveryStatus.COMPLAINED
        assert [(e.type, e.at) for e in store.events(delivery_id=row.id)][:2] == [
            ("landed", "2026-11-21T09:30:00Z"),
            ("preened", "2026-11-20T08:00:00Z"),
        ]


def test_an_event_settles_an_unknown_delivery_by_its_tag(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db", clock=FakeTime().now, is_alive=lambda pid, host: False) as store:
        run = store.start_run("send")
        row = store.claim(
            DeliveryKey("ceo", "2026-11", "a@x.example"),
            run_id=run,
            transport="ses",
            content_sha256="x",
        ).delivery
        store.attempt(row.id)  # the call went out
        store.recover()  # then the sender died: unknown, and no message id recorded
        event = {
            "eventType": "Delivery",
            "mail": {"messageId": "ses-9", "tags": {"execbrief-delivery": [str(row.id)]}},
            "delivery": {"timestamp": "2026-11-20T08:00:09Z"},
        }
        updated, change = apply_event(store, parse_event(json.dumps(event)))
        assert change is not None and (change.before, change.after) == ("unknown", "delivered")
        assert updated is not None and (updated.status, updated.message_id) == (
            "delivered",
            "ses-9",
        )
        assert [(e.type, e.at) for e in store.events(delivery_id=row.id)] == [
            ("Delivery", "2026-11-20T08:00:09Z")
        ]


def test_missed_periods_start_at_the_first_recorded_period(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db", clock=FakeTime().now) as store:
        run = store.start_run("send")
        for period, status in (("2026-08", "sent"), ("2026-10", "failed")):
            row = store.claim(
                DeliveryKey("ceo", period, "a@x.example"),
                run_id=run,
                transport="outbox",
                content_sha256="x",
            ).delivery
            store.complete(row.id, "m") if status == "sent" else store.fail(row.id, "no")
        missed = missed_periods(store, {"ceo": ["a@x.example"]}, "monthly", date(2026, 11, 20))
        assert [(m.period, m.statuses) for m in missed] == [
            ("2026-09", {"a@x.example": "none"}),
            ("2026-10", {"a@x.example": "failed"}),
        ]
        assert (
            missed_periods(store, {"ceo": ["a@x.example"]}, "quarterly", date(2026, 11, 20)) != []
        )


def test_a_bounced_report_is_a_missed_period(tmp_path: Path) -> None:
    # SES took it, then the mailbox bounced it (or SES rejected it): the recipient never got
    # that period's report, so `check --expect` must say so; a complaint means it arrived.
    with Store(tmp_path / "s.db", clock=FakeTime().now) as store:
        run = store.start_run("send")
        for recipient, status in (("a@x.example", "bounced"), ("b@x.example", "complained")):
            row = store.claim(
                DeliveryKey("ceo", "2026-10", recipient),
                run_id=run,
                transport="ses",
                content_sha256="x",
            ).delivery
            store.complete(row.id, f"m-{recipient}")
            store.set_status(row.id, status)
        missed = missed_periods(
            store, {"ceo": ["a@x.example", "b@x.example"]}, "monthly", date(2026, 11, 20)
        )
        assert [(m.period, m.missing) for m in missed] == [("2026-10", ("a@x.example",))]


def test_the_current_periods_blocked_or_failed_deliveries_count(tmp_path: Path) -> None:
    # 2026-11 holds as_of, so it is not due yet: a recipient with no row is not missed, but one
    # a run already blocked is (issue 16: `check --expect` said all was well after a block)
    with Store(tmp_path / "s.db", clock=FakeTime().now) as store:
        run = store.start_run("send")
        for period, recipient, outcome in (
            ("2026-10", "a@x.example", "sent"),
            ("2026-10", "b@x.example", "sent"),
            ("2026-11", "a@x.example", "blocked"),
        ):
            row = store.claim(
                DeliveryKey("ceo", period, recipient),
                run_id=run,
                transport="outbox",
                content_sha256="x",
            ).delivery
            if outcome == "sent":
                store.complete(row.id, "m")
            else:
                store.fail(row.id, "the books do not reconcile", status=DeliveryStatus.BLOCKED)
        missed = missed_periods(
            store, {"ceo": ["a@x.example", "b@x.example"]}, "monthly", date(2026, 11, 20)
        )
        assert [(m.period, m.missing) for m in missed] == [("2026-11", ("a@x.example",))]
