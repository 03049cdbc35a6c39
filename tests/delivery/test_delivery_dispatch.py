"""The dispatch stage against the memory transport: exactly once, retries, quota, halts, gates."""

from __future__ import annotations

import io
from datetime import date
from email.message import EmailMessage
from pathlib import Path

import pytest

from execbrief.delivery.dispatch import dispatch
from execbrief.delivery.pacing import RateLimiter, RetryPolicy
from execbrief.delivery.results import DispatchOptions
from execbrief.document import Bullet, Document
from execbrief.errors import TransientDeliveryError
from execbrief.store.db import DeliveryKey, Store
from execbrief.transports.memory import MemoryTransport
from kits.delivery import FakeTime, outgoing, real_guard

PEOPLE = ("a@harbor.example", "b@harbor.example", "c@harbor.example")
OPS = "ops@harbor.example"


def run(store: Store, transport: MemoryTransport, clock: FakeTime, items: list, **kwargs):  # type: ignore[no-untyped-def]
    stream = io.StringIO()
    kwargs.setdefault("retry", RetryPolicy(attempts=3, base=1.0, cap=4.0))
    kwargs.setdefault("guard", real_guard())
    result = dispatch(
        items,
        period="2026-11",
        store=store,
        transport=transport,
        sender="reports@harbor.example",
        operator=OPS,
        timing=clock.timing(),
        alert_stream=stream,
        **kwargs,
    )
    return result, stream.getvalue()


@pytest.fixture
def store(tmp_path: Path) -> Store:
    clock = FakeTime()
    with Store(tmp_path / "s.db", clock=clock.now) as opened:
        yield opened


def test_sends_once_then_skips_then_force_resends(store: Store) -> None:
    clock, memory = FakeTime(), MemoryTransport()
    result, alert = run(store, memory, clock, [outgoing(recipients=PEOPLE)])
    assert [(o.recipient, o.status, o.message_id) for o in result.outcomes] == [
        ("a@harbor.example", "sent", "memory-1"),
        ("b@harbor.example", "sent", "memory-2"),
        ("c@harbor.example", "sent", "memory-3"),
    ]
    assert result.exit_code == 0 and alert == ""
    assert memory.sent[0].tags == {"delivery": "1", "report": "ceo", "period": "2026-11"}
    again, _ = run(store, memory, clock, [outgoing(recipients=PEOPLE)])
    assert [o.action for o in again.outcomes] == ["skipped"] * 3 and len(memory.sent) == 3
    forced, _ = run(
        store, memory, clock, [outgoing(recipients=PEOPLE[:1])], options=DispatchOptions(force=True)
    )
    assert [o.action for o in forced.outcomes] == ["sent"] and len(memory.sent) == 4
    assert store.get(DeliveryKey("ceo", "2026-11", PEOPLE[0])).message_id == "memory-4"  # type: ignore[union-attr]
    runs = store.runs()
    assert [r.status for r in runs] == ["ok", "ok", "ok"]


def test_transient_errors_are_retried_with_capped_backoff(store: Store) -> None:
    clock, memory = FakeTime(), MemoryTransport()
    memory.fail_next("transient", "transient")
    result, _ = run(
        store,
        memory,
        clock,
        [outgoing(recipients=PEOPLE[:1])],
        retry=RetryPolicy(attempts=3, base=1.0, cap=4.0),
    )
    assert result.outcomes[0].status == "sent" and result.outcomes[0].attempts == 3
    # random() is 0.5: attempt 1 waits 0.5 + 0.25, attempt 2 waits 1 + 0.5
    assert clock.sleeps == [0.75, 1.5]
    assert store.get(DeliveryKey("ceo", "2026-11", PEOPLE[0])).attempts == 3  # type: ignore[union-attr]


def test_retries_run_out_then_failed_and_alerted(store: Store) -> None:
    clock, memory = FakeTime(), MemoryTransport()
    memory.fail_for(PEOPLE[0], TransientDeliveryError("503 Service Unavailable"))
    result, _ = run(store, memory, clock, [outgoing(recipients=PEOPLE[:2])])
    assert [(o.status, o.attempts) for o in result.outcomes] == [("failed", 3), ("sent", 1)]
    assert result.outcomes[0].error == "gave up after 3 attempts: 503 Service Unavailable"
    assert result.exit_code == 1
    # the alert went to the operator through the transport
    assert memory.recipients()[-1] == OPS
    alert = " ".join(memory.sent[-1].message.get_content().split())  # wrapped at 78 columns
    assert (
        "- ceo to a@harbor.example: failed: gave up after 3 attempts: 503 Service Unavailable"
        in alert
    )
    # the next run retries only the failed one
    memory._per_recipient.clear()
    again, _ = run(store, memory, clock, [outgoing(recipients=PEOPLE[:2])])
    assert [o.action for o in again.outcomes] == ["sent", "skipped"]
    assert again.exit_code == 0


def test_rejected_recipient_fails_alone(store: Store) -> None:
    clock, memory = FakeTime(), MemoryTransport()
    memory.fail_for(PEOPLE[1], "rejected")
    result, _ = run(store, memory, clock, [outgoing(recipients=PEOPLE)])
    assert [o.status for o in result.outcomes] == ["sent", "failed", "sent"]
    assert result.outcomes[1].error == "rejected: scripted rejected failure for b@harbor.example"
    assert result.halted is None and result.exit_code == 1


def test_quota_defers_the_rest(store: Store) -> None:
    clock, memory = FakeTime(), MemoryTransport()
    memory.fail_next(None, "quota")
    result, _ = run(
        store, memory, clock, [outgoing(recipients=PEOPLE), outgoing("cfo", recipients=PEOPLE[:1])]
    )
    assert [o.status for o in result.outcomes] == ["sent", "deferred", "deferred", "deferred"]
    assert result.halted is not None and "quota" in result.halted
    rows = {(r.report, r.recipient): r.status for r in store.deliveries()}
    assert rows == {
        ("ceo", PEOPLE[0]): "sent",
        ("ceo", PEOPLE[1]): "deferred",
        ("ceo", PEOPLE[2]): "deferred",
        ("cfo", PEOPLE[0]): "deferred",
    }
    assert store.runs()[-1].status == "halted"
    assert memory.recipients() == [PEOPLE[0], OPS]  # the alert still goes out through the transport


def test_run_halted_stops_at_once_and_alerts_on_stderr(store: Store) -> None:
    clock, memory = FakeTime(), MemoryTransport()
    memory.fail_next("halt")
    result, stderr = run(store, memory, clock, [outgoing(recipients=PEOPLE)])
    assert [o.status for o in result.outcomes] == ["failed", "pending", "pending"]
    assert memory.calls == 1  # no alert through a transport that is down
    assert "The run stopped: halted: scripted halt failure" in stderr
    assert result.alerts == ["alert written to stderr"]
    again, _ = run(store, memory, clock, [outgoing(recipients=PEOPLE)])
    assert [o.action for o in again.outcomes] == ["sent", "sent", "sent"]


def test_unreconciled_report_is_blocked_unless_allowed(store: Store) -> None:
    document = Document(
        report="cfo",
        title="CFO",
        audience="CFO",
        period="2026-11",
        as_of=date(2026, 11, 20),
        portfolio="Harbor",
        warnings=(
            Bullet("Does not reconcile: the balance of Assets:Bank on 2026-05-31 is $3,100."),
            Bullet("Stale ledger."),
        ),
        reconciled=False,
    )
    clock, memory = FakeTime(), MemoryTransport()
    result, _ = run(
        store, memory, clock, [outgoing("cfo", recipients=PEOPLE[:1], document=document)]
    )
    assert result.outcomes[0].status == "blocked" and "not reconciled" in (
        result.outcomes[0].error or ""
    )
    # the row records why: the report's own reconciliation warnings, not its other warnings
    row = store.get(DeliveryKey("cfo", "2026-11", PEOPLE[0]))
    assert row is not None and "Assets:Bank on 2026-05-31 is $3,100" in (row.error or "")
    assert "Stale ledger" not in (row.error or "")
    assert len([s for s in memory.sent if s.tags.get("report") == "cfo"]) == 0
    allowed, _ = run(
        store,
        memory,
        clock,
        [outgoing("cfo", recipients=PEOPLE[:1], document=document)],
        options=DispatchOptions(allow_unreconciled=True),
    )
    assert allowed.outcomes[0].status == "sent"
    # the audit trail says it went out unreconciled, and why
    (event,) = [e for e in store.events() if e.type == "sent-unreconciled"]
    assert event.delivery_id == allowed.outcomes[0].delivery_id
    assert "Assets:Bank on 2026-05-31" in str(event.detail)
    # once sent, the gate does not rewrite history
    later, _ = run(
        store, memory, clock, [outgoing("cfo", recipients=PEOPLE[:1], document=document)]
    )
    assert later.outcomes[0].action == "skipped" and later.exit_code == 0


class FakeGuard:
    def check(self, message: EmailMessage) -> list[str]:
        body = message.get_body(preferencelist=("plain",))
        return (
            ["stripe live key (fingerprint 1a2b3c) in the body"]
            if body and "sk_live" in body.get_content()
            else []
        )


def test_secret_guard_blocks_and_alerts(store: Store) -> None:
    clock, memory = FakeTime(), MemoryTransport()
    leaky = outgoing("cto", recipients=PEOPLE[:1], text="key sk_live_xxx\n")
    clean = outgoing("ceo", recipients=PEOPLE[:1])
    result, _ = run(store, memory, clock, [leaky, clean], guard=FakeGuard())
    assert [(o.report, o.status) for o in result.outcomes] == [("cto", "blocked"), ("ceo", "sent")]
    assert (
        result.outcomes[0].error
        == "secret guard blocked the message: stripe live key (fingerprint 1a2b3c) in the body"
    )
    assert "sk_live" not in (store.get(DeliveryKey("cto", "2026-11", PEOPLE[0])).error or "")  # type: ignore[union-attr]
    assert result.exit_code == 1 and memory.recipients() == [PEOPLE[0], OPS]


def test_dry_run_writes_nothing(store: Store) -> None:
    clock, memory = FakeTime(), MemoryTransport()
    result, _ = run(
        store,
        memory,
        clock,
        [outgoing(recipients=PEOPLE[:1])],
        options=DispatchOptions(dry_run=True),
    )
    assert [o.action for o in result.outcomes] == ["would send"]
    assert memory.calls == 0 and store.deliveries() == [] and store.runs() == []


def test_too_large_message_fails_that_delivery(store: Store) -> None:
    clock = FakeTime()
    memory = MemoryTransport(max_message_bytes=500)
    result, _ = run(store, memory, clock, [outgoing(recipients=PEOPLE[:1], text="x" * 600 + "\n")])
    assert result.outcomes[0].status == "failed" and "the transport allows 500" in (
        result.outcomes[0].error or ""
    )


def test_unexpected_transport_bug_is_unknown_not_resent(store: Store) -> None:
    clock, memory = FakeTime(), MemoryTransport()
    memory.fail_next(RuntimeError("socket closed mid-DATA"))  # type: ignore[arg-type]
    result, _ = run(store, memory, clock, [outgoing(recipients=PEOPLE[:2])])
    assert [o.status for o in result.outcomes] == ["unknown", "pending"]
    again, _ = run(store, memory, clock, [outgoing(recipients=PEOPLE[:2])])
    assert [o.action for o in again.outcomes] == ["unknown", "sent"] and again.exit_code == 1


def test_rate_limiter_spaces_sends() -> None:
    clock = FakeTime()
    limiter = RateLimiter(4.0, monotonic=clock.monotonic, sleep=clock.sleep)
    for _ in range(9):
        limiter.acquire()
    # the first is free, the next eight wait a quarter second each
    assert clock.elapsed == pytest.approx(2.0)
    assert RateLimiter(None).acquire() is None


def test_send_rate_is_applied_in_dispatch(store: Store) -> None:
    clock = FakeTime()
    memory = MemoryTransport(max_send_rate=2.0)
    people = tuple(f"p{i}@harbor.example" for i in range(5))
    run(store, memory, clock, [outgoing(recipients=people)])
    assert clock.elapsed == pytest.approx(2.0)


def test_backoff_is_capped() -> None:
    policy = RetryPolicy(attempts=10, base=1.0, cap=8.0)
    assert [policy.delay(n, 0.0) for n in (1, 2, 3, 4, 5, 6)] == [0.5, 1.0, 2.0, 4.0, 4.0, 4.0]
    assert policy.delay(6, 0.999999) == pytest.approx(8.0, abs=1e-5)


def test_forced_resend_of_an_unreconciled_report_keeps_the_sent_row(store: Store) -> None:
    document = Document(
        report="cfo",
        title="CFO",
        audience="CFO",
        period="2026-11",
        as_of=date(2026, 11, 20),
        portfolio="Harbor",
        reconciled=False,
    )
    clock, memory = FakeTime(), MemoryTransport()
    first, _ = run(
        store,
        memory,
        clock,
        [outgoing("cfo", recipients=PEOPLE[:1], document=document)],
        options=DispatchOptions(allow_unreconciled=True),
    )
    assert first.outcomes[0].status == "sent"
    forced, _ = run(
        store,
        memory,
        clock,
        [outgoing("cfo", recipients=PEOPLE[:1], document=document)],
        options=DispatchOptions(force=True),
    )
    assert (forced.outcomes[0].status, forced.outcomes[0].action) == ("sent", "blocked")
    assert forced.exit_code == 1
    row = store.get(DeliveryKey("cfo", "2026-11", PEOPLE[0]))
    assert row is not None and (row.status, row.message_id) == ("sent", "memory-1")


def test_the_real_secret_guard_blocks_a_live_key(store: Store) -> None:
    guard = real_guard()
    stripe = "sk_" + "live_" + "u0l3zZo6N4CrCWaLFRUKbT0k"
    clock, memory = FakeTime(), MemoryTransport()
    leaky = outgoing("cto", recipients=PEOPLE[:1], text=f"Rotate this: {stripe}\n")
    result, _ = run(
        store, memory, clock, [leaky, outgoing("ceo", recipients=PEOPLE[:1])], guard=guard
    )
    assert [(o.report, o.status) for o in result.outcomes] == [("cto", "blocked"), ("ceo", "sent")]
    assert "Stripe secret key" in (result.outcomes[0].error or "")
    row = store.get(DeliveryKey("cto", "2026-11", PEOPLE[0]))
    assert row is not None and stripe not in (row.error or "")
    alert = memory.sent[-1].message.get_content()
    assert (
        memory.recipients() == [PEOPLE[0], OPS]
        and stripe not in alert
        and "cto to a@harbor.example: blocked" in alert
    )


def test_a_lost_answer_is_unknown_and_not_retried(store: Store) -> None:
    from execbrief.errors import OutcomeUnknown

    clock, memory = FakeTime(), MemoryTransport()
    memory.fail_next(OutcomeUnknown("read timeout after the request went out"))
    result, _ = run(store, memory, clock, [outgoing(recipients=PEOPLE[:2])])
    assert [(o.status, o.attempts) for o in result.outcomes] == [("unknown", 1), ("sent", 1)]
    assert memory.calls == 3  # two sends and the alert: no retry of the unknown one
    assert result.halted is None and result.exit_code == 1
    again, _ = run(store, memory, clock, [outgoing(recipients=PEOPLE[:2])])
    assert [o.action for o in again.outcomes] == ["unknown", "skipped"]


def test_one_mailbox_gets_one_message_whatever_the_case(store: Store) -> None:
    clock, memory = FakeTime(), MemoryTransport()
    result, _ = run(
        store, memory, clock, [outgoing(recipients=("CEO@Harbor.example", "ceo@harbor.example "))]
    )
    assert [o.recipient for o in result.outcomes] == ["ceo@harbor.example"] and len(
        memory.sent
    ) == 1


def test_an_interrupted_run_leaves_its_claim_visible(store: Store) -> None:
    clock, memory = FakeTime(), MemoryTransport()

    def interrupt(message: EmailMessage) -> None:
        if str(message["To"]) == PEOPLE[1]:
            raise KeyboardInterrupt

    memory.on_send = interrupt
    with pytest.raises(KeyboardInterrupt):
        run(store, memory, clock, [outgoing(recipients=PEOPLE)])
    assert store.runs()[-1].status == "interrupted"
    memory.on_send = None
    again, _ = run(store, memory, clock, [outgoing(recipients=PEOPLE)])
    assert [(o.recipient, o.action) for o in again.outcomes] == [
        (PEOPLE[0], "skipped"),
        (PEOPLE[1], "unknown"),
        (PEOPLE[2], "sent"),
    ]


def test_a_run_stopped_while_backing_off_leaves_a_retryable_row_not_an_unknown(
    store: Store,
) -> None:
    # Throttled, then killed while waiting to retry: the provider refused the only call, so the
    # delivery was certainly not sent. It must not show as "unknown" (which needs the operator);
    # the next run sends it once.
    clock, memory = FakeTime(), MemoryTransport()
    memory.fail_next("transient")

    def stop(seconds: float) -> None:
        raise KeyboardInterrupt

    timing = clock.timing()
    timing.sleep = stop
    with pytest.raises(KeyboardInterrupt):
        dispatch(
            [outgoing(recipients=PEOPLE[:2])],
            period="2026-11",
            store=store,
            transport=memory,
            sender="reports@harbor.example",
            operator=OPS,
            timing=timing,
            alert_stream=io.StringIO(),
            guard=real_guard(),
        )
    assert memory.sent == []
    again, _ = run(store, memory, clock, [outgoing(recipients=PEOPLE[:2])])
    assert [(o.recipient, o.action) for o in again.outcomes] == [
        (PEOPLE[0], "sent"),
        (PEOPLE[1], "sent"),
    ]
    assert memory.recipients() == [PEOPLE[0], PEOPLE[1]]
    assert again.exit_code == 0


def test_a_crash_after_the_call_began_stays_unknown(store: Store) -> None:
    # The transport was called and the process stopped before the answer was recorded: that
    # one stays unknown (it may have gone), even after an earlier throttled attempt.
    clock, memory = FakeTime(), MemoryTransport()
    memory.fail_next("transient")

    def interrupt(message: EmailMessage) -> None:
        if len(clock.sleeps) == 1:
            raise KeyboardInterrupt

    memory.on_send = interrupt
    with pytest.raises(KeyboardInterrupt):
        run(store, memory, clock, [outgoing(recipients=PEOPLE[:1])])
    memory.on_send = None
    again, _ = run(store, memory, clock, [outgoing(recipients=PEOPLE[:1])])
    assert [(o.recipient, o.action) for o in again.outcomes] == [(PEOPLE[0], "unknown")]
    assert PEOPLE[0] not in memory.recipients()


def unreconciled_cfo() -> Document:
    return Document(
        report="cfo",
        title="CFO",
        audience="CFO",
        period="2026-11",
        as_of=date(2026, 11, 20),
        portfolio="Harbor",
        warnings=(Bullet("Does not reconcile: Assets:Bank is off by $3,100."),),
        reconciled=False,
    )


def test_a_dry_run_skips_what_was_sent_whatever_the_gate_and_exits_1_on_a_block(
    store: Store,
) -> None:
    """Issue 17/16: the dry run says what the real run does: a sent row is skipped (not blocked),
    and a summary with a would-block exits 1 like the real run's block."""
    clock, memory = FakeTime(), MemoryTransport()
    document = unreconciled_cfo()
    sent, _ = run(
        store,
        memory,
        clock,
        [outgoing("cfo", recipients=PEOPLE[:1], document=document)],
        options=DispatchOptions(allow_unreconciled=True),
    )
    assert sent.outcomes[0].status == "sent"
    items = [outgoing("cfo", recipients=PEOPLE[:2], document=document)]
    preview, _ = run(store, memory, clock, items, options=DispatchOptions(dry_run=True))
    assert [o.action for o in preview.outcomes] == ["would skip", "would block (unreconciled)"]
    assert preview.exit_code == 1
    real, _ = run(store, memory, clock, items)
    assert [o.action for o in real.outcomes] == ["skipped", "blocked"]
    assert real.exit_code == 1
    forced, _ = run(store, memory, clock, items, options=DispatchOptions(dry_run=True, force=True))
    assert forced.outcomes[0].action == "would block (unreconciled)"


def test_a_dry_run_with_nothing_blocked_exits_0(store: Store) -> None:
    clock, memory = FakeTime(), MemoryTransport()
    items = [outgoing("cfo", recipients=PEOPLE[:1], document=unreconciled_cfo())]
    preview, _ = run(
        store, memory, clock, items, options=DispatchOptions(dry_run=True, allow_unreconciled=True)
    )
    assert [o.action for o in preview.outcomes] == ["would send"] and preview.exit_code == 0
