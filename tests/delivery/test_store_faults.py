"""The store under faults (issue 17, 6): a disk that fills during a run, a store another process
holds locked. One clear sentence, an operator alert, no traceback, nothing half-written, and the
next run recovers without sending anything twice.

The full disk is real: a 2 MB tmpfs mounted for the test (root only; skipped elsewhere).
"""

from __future__ import annotations

import contextlib
import io
import os
import sqlite3
import subprocess
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path

import pytest

from execbrief.delivery.dispatch import dispatch
from execbrief.delivery.pacing import RetryPolicy
from execbrief.errors import StoreError
from execbrief.store.db import DeliveryKey, Store
from execbrief.store.status import DeliveryStatus
from execbrief.transports.memory import MemoryTransport
from kits.delivery import FakeTime, outgoing, real_guard

PEOPLE = ("a@harbor.example", "b@harbor.example", "c@harbor.example")
OPS = "ops@harbor.example"


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount)],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here ({done.stderr.strip() or done.returncode})")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def fill(disk: Path) -> Path:
    """Write a filler file until the disk refuses another byte."""
    filler = disk / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
    try:
        for size in (65536, 4096, 1):
            with contextlib.suppress(OSError):
                while True:
                    os.write(fd, b"\0" * size)
    finally:
        os.close(fd)
    return filler


def run(store: Store, memory: MemoryTransport, clock: FakeTime) -> tuple[object, str]:
    stream = io.StringIO()
    result = dispatch(
        [outgoing(recipients=PEOPLE)],
        period="2026-11",
        store=store,
        transport=memory,
        sender="reports@harbor.example",
        operator=OPS,
        timing=clock.timing(),
        guard=real_guard(),
        retry=RetryPolicy(attempts=2, base=0.01, cap=0.01),
        alert_stream=stream,
    )
    return result, stream.getvalue()


def test_a_disk_that_fills_during_a_run_halts_it_cleanly_and_the_next_run_recovers(
    small_disk: Path,
) -> None:
    clock = FakeTime()
    path = small_disk / "store.db"
    memory = MemoryTransport()
    filled: list[Path] = []

    def fill_after_first_send(message: EmailMessage) -> None:
        if not filled:
            filled.append(fill(small_disk))

    memory.on_send = fill_after_first_send
    store = Store(path, clock=clock.now)
    result, stderr = run(store, memory, clock)
    store.close()

    assert result.halted is not None and "the disk is full" in result.halted
    assert "free space on that disk and run again" in result.halted
    first, *rest = result.outcomes
    assert (first.recipient, first.status) == (PEOPLE[0], "unknown")
    assert "sent as memory-1, but not recorded" in (first.error or "")
    assert [o.status for o in rest] == ["pending", "pending"]
    assert result.exit_code == 1
    to_people = [m for m in memory.sent if str(m.message["To"]) in PEOPLE]
    assert len(to_people) == 1  # only the first went out
    alerts = [m for m in memory.sent if str(m.message["To"]) == OPS]
    assert result.alerts == [f"alerted {OPS}"] and len(alerts) == 1 and stderr == ""
    assert "the disk is full" in alerts[0].message.get_content()

    filled[0].unlink()  # the operator frees space
    memory.on_send = None
    # the next run is a new process: the one that started the first run has exited
    with Store(path, clock=clock.now, is_alive=lambda pid, host: False) as again:
        row = again.get(DeliveryKey("ceo", "2026-11", PEOPLE[0]))
        assert row is not None  # claimed before the disk filled: it is in the file
        second, _ = run(again, memory, clock)
        row = again.get(DeliveryKey("ceo", "2026-11", PEOPLE[0]))
        assert row is not None and row.status is DeliveryStatus.UNKNOWN  # never left 'sending'
        statuses = {o.recipient: o.status for o in second.outcomes}
    assert statuses == {PEOPLE[0]: "unknown", PEOPLE[1]: "sent", PEOPLE[2]: "sent"}
    copies = [str(m.message["To"]) for m in memory.sent if str(m.message["To"]) in PEOPLE]
    assert sorted(copies) == sorted(PEOPLE)  # each person once: nothing sent twice


def test_a_store_locked_by_another_process_is_one_sentence(tmp_path: Path) -> None:
    clock = FakeTime()
    path = tmp_path / "store.db"
    with Store(path, clock=clock.now):
        pass
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StoreError) as caught:
            Store(path, clock=clock.now, busy_timeout=0.2)
        message = str(caught.value)
        assert message.startswith(f"{path}: the store cannot be opened")
        assert "(another process holds it locked); let the other execbrief finish" in message
        holder.execute("ROLLBACK")
        store = Store(path, clock=clock.now, busy_timeout=0.2)
        holder.execute("BEGIN EXCLUSIVE")
        with pytest.raises(StoreError) as caught:
            store.start_run("send", period="2026-11")
        assert str(caught.value).startswith(f"{path}: the store cannot start a transaction")
        store.close()
    finally:
        if holder.in_transaction:
            holder.execute("ROLLBACK")
        holder.close()
