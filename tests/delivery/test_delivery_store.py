"""The SQLite store: migrations, claims, statuses."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from execbrief.errors import StoreError
from execbrief.store import migrations
from execbrief.store.db import DeliveryKey, Store, timestamp
from kits.delivery import FakeTime

KEY = DeliveryKey("ceo", "2026-11", "ceo@harbor.example")


def open_store(path: Path, alive: bool = True) -> Store:
    return Store(path / "x.db", clock=FakeTime().now, is_alive=lambda pid, host: alive)


def test_migrations_are_recorded_once_and_idempotent(tmp_path: Path) -> None:
    with open_store(tmp_path) as store:
        names = migrations.applied(store.db)
        assert names == [name for name, _ in migrations.MIGRATIONS]
        assert names[:3] == ["m001_runs", "m002_deliveries", "m003_events"]
        assert migrations.migrate(store.db) == []
        mode = store.db.execute("PRAGMA journal_mode").fetchone()[0]
        assert mode == "wal"
    with open_store(tmp_path) as again:
        assert migrations.applied(again.db) == names


def test_a_new_migration_is_applied_once(tmp_path: Path) -> None:
    db = sqlite3.connect(tmp_path / "m.db", isolation_level=None)
    calls: list[str] = []

    def m900_extra(conn: sqlite3.Connection) -> None:
        calls.append("ran")
        conn.execute("CREATE TABLE extra (x)")

    steps = [*migrations.MIGRATIONS, ("m900_extra", m900_extra)]
    assert migrations.migrate(db, steps)[-1] == "m900_extra"
    assert migrations.migrate(db, steps) == []
    assert calls == ["ran"]


def test_a_failing_migration_leaves_nothing_behind(tmp_path: Path) -> None:
    db = sqlite3.connect(tmp_path / "m.db", isolation_level=None)

    def m901_broken(conn: sqlite3.Connection) -> None:
        conn.execute("CREATE TABLE half (x)")
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        migrations.migrate(db, [("m901_broken", m901_broken)])
    assert migrations.applied(db) == []
    assert db.execute("SELECT name FROM sqlite_master WHERE name = 'half'").fetchone() is None


def test_duplicate_migration_names_are_refused() -> None:
    with pytest.raises(ValueError, match="m001_runs"):
        migrations.migration(migrations.m001_runs)


def test_store_in_an_unwritable_place_is_a_store_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(StoreError, match="cannot open the store"):
        Store(blocker / "sub" / "x.db", clock=FakeTime().now)


def test_claim_complete_then_skip(tmp_path: Path) -> None:
    with open_store(tmp_path) as store:
        run = store.start_run("send", as_of="2026-11-20", period="2026-11")
        claim = store.claim(KEY, run_id=run, transport="memory", content_sha256="abc")
        assert claim.claimed and claim.delivery.status == "sending"
        assert claim.delivery.claimed_at == "2026-11-20T08:00:00Z"
        done = store.complete(claim.delivery.id, "m-1", "250 ok")
        assert (done.status, done.message_id, done.response) == ("sent", "m-1", "250 ok")
        again = store.claim(KEY, run_id=run, transport="memory", content_sha256="abc")
        assert again.outcome == "accepted"
        forced = store.claim(KEY, run_id=run, transport="memory", content_sha256="abc", force=True)
        assert forced.claimed and forced.delivery.message_id is None
        assert [e.type for e in store.events(delivery_id=forced.delivery.id)] == ["superseded"]


def test_a_dead_senders_claim_becomes_unknown(tmp_path: Path) -> None:
    with open_store(tmp_path, alive=False) as store:
        dead_run = store.start_run("send")
        claimed = store.claim(KEY, run_id=dead_run, transport="memory", content_sha256="abc")
        store.attempt(claimed.delivery.id)  # the call is recorded: it may have gone out
        run = store.start_run("send")
        claim = store.claim(KEY, run_id=run, transport="memory", content_sha256="abc")
        assert claim.outcome == "unknown"
        assert "stopped before recording the outcome" in (claim.delivery.error or "")
        resend = store.claim(
            KEY, run_id=run, transport="memory", content_sha256="abc", resend_unknown=True
        )
        assert resend.claimed


def test_a_claim_whose_sender_died_before_calling_the_transport_is_sent_by_the_next_run(
    tmp_path: Path,
) -> None:
    # claimed, then the sender died (or its store refused the attempt write) before the call:
    # the message was never handed over, so it is not unknown but sent again without an order
    with open_store(tmp_path, alive=False) as store:
        dead_run = store.start_run("send")
        claimed = store.claim(KEY, run_id=dead_run, transport="memory", content_sha256="abc")
        assert claimed.delivery.waiting_since == "2026-11-20T08:00:00Z"
        [recovered] = store.recover()
        assert recovered.status == "pending" and recovered.waiting_since is None
        assert "stopped before calling the transport; it was not sent" in (recovered.error or "")
        run = store.start_run("send")
        claim = store.claim(KEY, run_id=run, transport="memory", content_sha256="abc")
        assert claim.claimed and claim.delivery.error is None
        store.attempt(claim.delivery.id)
        assert store.get(KEY).waiting_since is None  # type: ignore[union-attr]


def test_a_live_senders_claim_is_busy(tmp_path: Path) -> None:
    with open_store(tmp_path, alive=True) as store:
        first = store.start_run("send")
        store.claim(KEY, run_id=first, transport="memory", content_sha256="abc")
        second = store.start_run("send")
        assert (
            store.claim(KEY, run_id=second, transport="memory", content_sha256="abc").outcome
            == "busy"
        )


def test_recover_marks_dead_runs_crashed(tmp_path: Path) -> None:
    with open_store(tmp_path, alive=False) as store:
        run = store.start_run("send")
        claimed = store.claim(KEY, run_id=run, transport="memory", content_sha256="abc")
        store.attempt(claimed.delivery.id)
        changed = store.recover()
        assert [row.status for row in changed] == ["unknown"]
        assert store.run(run).status == "crashed"


def test_failed_rows_are_retried_and_gates_never_hide_a_sent_row(tmp_path: Path) -> None:
    with open_store(tmp_path) as store:
        run = store.start_run("send")
        row = store.claim(KEY, run_id=run, transport="memory", content_sha256="abc").delivery
        assert store.fail(row.id, "nope").status == "failed"
        assert store.claim(KEY, run_id=run, transport="memory", content_sha256="abc").claimed
        store.complete(row.id, "m-2")
        blocked = store.record_unsent(
            KEY, run_id=run, transport="memory", content_sha256="abc", status="blocked", error="x"
        )
        assert blocked is None
        assert store.get(KEY).status == "sent"  # type: ignore[union-attr]
        with pytest.raises(ValueError):
            store.fail(row.id, "x", status="sent")


def test_timestamps_are_utc_with_z() -> None:
    from datetime import datetime, timedelta, timezone

    moment = datetime(2026, 11, 20, 10, 0, tzinfo=timezone(timedelta(hours=2)))
    assert timestamp(moment) == "2026-11-20T08:00:00Z"


def test_liveness_follows_the_run_lock_not_the_pid(tmp_path: Path) -> None:
    import os

    clock = FakeTime()
    with (
        Store(tmp_path / "x.db", clock=clock.now) as first,
        Store(tmp_path / "x.db", clock=clock.now) as second,
    ):
        live = first.start_run("send")
        claimed = first.claim(KEY, run_id=live, transport="memory", content_sha256="abc")
        first.attempt(claimed.delivery.id)  # the call is in flight when the run dies
        other = second.start_run("send")
        assert (
            second.claim(KEY, run_id=other, transport="memory", content_sha256="abc").outcome
            == "busy"
        )
        # the first run "dies": its lock goes with it, but its pid (ours) is still alive, as after
        # a crash in a container where every run is PID 1
        os.close(first._locks.pop(live))
        assert first.run(live).pid == os.getpid()
        assert (
            second.claim(KEY, run_id=other, transport="memory", content_sha256="abc").outcome
            == "unknown"
        )
        assert second.recover() == [] and second.run(live).status == "crashed"
        assert not (tmp_path / f"x.db.run-{live}.lock").exists()
        second.finish_run(other, "ok")
        assert not (tmp_path / f"x.db.run-{other}.lock").exists()


def test_a_new_run_is_locked_before_others_can_see_it(tmp_path: Path) -> None:
    # Another process judges a run dead when it can take the run's lock. If the run's row were
    # visible before its lock was held, a concurrent sender's recovery could mark the new run
    # "crashed" and turn its claims into unknowns (seen as a flaky two-sender test).
    clock = FakeTime()
    seen: list[int] = []

    class Watched(Store):
        def _hold(self, run_id: int) -> None:
            other = sqlite3.connect(tmp_path / "x.db")
            seen.extend(row[0] for row in other.execute("SELECT id FROM runs"))
            other.close()
            super()._hold(run_id)

    with Watched(tmp_path / "x.db", clock=clock.now) as store:
        run_id = store.start_run("send")
        assert seen == []
        assert store.run(run_id).status == "running"
        with Store(tmp_path / "x.db", clock=clock.now) as second:
            assert second.recover() == [] and second.run(run_id).status == "running"
