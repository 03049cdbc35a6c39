"""The store under faults (issue 17, 6): a disk that fills during a run, a store another process
holds locked. One clear sentence, an operator alert, no traceback, nothing half-written, and the
next run recovers without sending anything twice.

The full disk is real: a 2 MB tmpfs mounted for the test (root only; skipped elsewhere).
"""

from __future__ import annotations

import contextlib
import email
import io
import os
import sqlite3
import subprocess
from collections.abc import Callable, Iterator
from email.message import EmailMessage
from pathlib import Path

import pytest

from execbrief.delivery.dispatch import dispatch
from execbrief.delivery.pacing import RetryPolicy
from execbrief.delivery.results import DispatchResult, Guard
from execbrief.errors import RecipientRejected, StoreError
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


class TrippingGuard:
    """The real guard, which runs ``trip`` (once) when it checks the message to ``recipient``:
    the guard runs after the claim is committed and before the transport's call is recorded."""

    def __init__(self, recipient: str, trip: Callable[[], object]) -> None:
        self.guard = real_guard()
        self.recipient = recipient
        self.trip: Callable[[], object] | None = trip

    def check(self, message: EmailMessage) -> list[str]:
        if str(message["To"]) == self.recipient and self.trip is not None:
            self.trip()
            self.trip = None
        return self.guard.check(message)


def run_with(
    store: Store, memory: MemoryTransport, clock: FakeTime, guard: Guard
) -> DispatchResult:
    return dispatch(
        [outgoing(recipients=PEOPLE)],
        period="2026-11",
        store=store,
        transport=memory,
        sender="reports@harbor.example",
        operator=OPS,
        timing=clock.timing(),
        guard=guard,
        retry=RetryPolicy(attempts=2, base=0.01, cap=0.01),
        alert_stream=io.StringIO(),
    )


def to_people(memory: MemoryTransport) -> list[str]:
    return sorted(str(m.message["To"]) for m in memory.sent if str(m.message["To"]) in PEOPLE)


def alert_of(memory: MemoryTransport) -> str:
    [alert] = [m for m in memory.sent if str(m.message["To"]) == OPS]
    return " ".join(alert.message.get_content().split())  # unwrapped


def assert_claimed_not_called_is_sent_next(
    path: Path, memory: MemoryTransport, clock: FakeTime, result: DispatchResult, cause: str
) -> None:
    """After a store refusal between the second delivery's claim and its call: it was not sent,
    the run and the alert say the next send sends it, and the next send does, once."""
    assert result.halted is not None and cause in result.halted
    statuses = [(o.recipient, o.status) for o in result.outcomes]
    assert statuses == [(PEOPLE[0], "sent"), (PEOPLE[1], "pending"), (PEOPLE[2], "pending")]
    second = result.outcomes[1]
    assert second.delivery_id is not None  # its claim was written ...
    assert "the next `execbrief send` sends it" in (second.error or "")  # ... and is no 'unknown'
    assert to_people(memory) == [PEOPLE[0]]
    text = alert_of(memory)
    assert f"- ceo to {PEOPLE[1]}: pending: not sent" in text and "unknown" not in text
    memory.sent.clear()
    with Store(path, clock=clock.now, is_alive=lambda pid, host: False) as again:
        row = again.get(DeliveryKey("ceo", "2026-11", PEOPLE[1]))
        assert row is not None and row.status is DeliveryStatus.SENDING  # as the refusal left it
        after = run_with(again, memory, clock, real_guard())
        assert [(o.recipient, o.action) for o in after.outcomes] == [
            (PEOPLE[0], "skipped"),
            (PEOPLE[1], "sent"),  # no --resend-unknown needed
            (PEOPLE[2], "sent"),
        ]
        assert after.exit_code == 0
    assert to_people(memory) == [PEOPLE[1], PEOPLE[2]]  # with the first run's: each person once


def test_a_disk_that_fills_between_a_claim_and_its_call_leaves_it_to_the_next_run(
    small_disk: Path,
) -> None:
    # issue 17 audit, item 7: the claim was written, the disk filled before the call was
    # recorded; the row was left 'sending', the next run made it 'unknown' and never sent it
    clock = FakeTime()
    path = small_disk / "store.db"
    memory = MemoryTransport()
    filled: list[Path] = []
    guard = TrippingGuard(PEOPLE[1], lambda: filled.append(fill(small_disk)))
    with Store(path, clock=clock.now) as store:
        result = run_with(store, memory, clock, guard)
    filled[0].unlink()  # the operator frees space
    assert_claimed_not_called_is_sent_next(path, memory, clock, result, "the disk is full")


def test_a_lock_taken_between_a_claim_and_its_call_leaves_it_to_the_next_run(
    tmp_path: Path,
) -> None:
    # the same refusal without root: another process takes the store's write lock
    clock = FakeTime()
    path = tmp_path / "store.db"
    memory = MemoryTransport()
    holder = sqlite3.connect(path, isolation_level=None)
    guard = TrippingGuard(PEOPLE[1], lambda: holder.execute("BEGIN EXCLUSIVE"))
    try:
        with Store(path, clock=clock.now, busy_timeout=0.1) as store:
            result = run_with(store, memory, clock, guard)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert_claimed_not_called_is_sent_next(
        path, memory, clock, result, "another process holds it locked"
    )


def test_a_verdict_the_store_cannot_record_is_worded_as_the_next_run_takes_it(
    tmp_path: Path,
) -> None:
    # the transport refused the recipient (not sent), then the store refused to record that:
    # the row stays claimed with the call counted, so the next run cannot tell and shows it
    # unknown; the alert says so, and that resending it is safe
    clock = FakeTime()
    path = tmp_path / "store.db"
    memory = MemoryTransport()
    memory.fail_for(PEOPLE[1], RecipientRejected("550 5.1.1 no such mailbox"), times=1)
    holder = sqlite3.connect(path, isolation_level=None)

    def lock_on_second(message: EmailMessage) -> None:
        if str(message["To"]) == PEOPLE[1]:
            holder.execute("BEGIN EXCLUSIVE")

    memory.on_send = lock_on_second
    try:
        with Store(path, clock=clock.now, busy_timeout=0.1) as store:
            result = run_with(store, memory, clock, real_guard())
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    memory.on_send = None
    second = result.outcomes[1]
    assert (second.recipient, second.status) == (PEOPLE[1], "unknown")
    assert "not sent (rejected: 550 5.1.1 no such mailbox), but the store could not record" in (
        second.error or ""
    )
    text = alert_of(memory)
    assert "the next run shows it unknown and does not send it unless told" in text
    assert "--resend-unknown` is safe for it" in text
    memory.sent.clear()
    with Store(path, clock=clock.now, is_alive=lambda pid, host: False) as again:
        after = run_with(again, memory, clock, real_guard())
    actions = {o.recipient: o.action for o in after.outcomes}
    assert actions == {PEOPLE[0]: "skipped", PEOPLE[1]: "unknown", PEOPLE[2]: "sent"}
    assert to_people(memory) == [PEOPLE[2]]


def test_a_source_cache_the_store_cannot_grow_is_one_warning_and_the_run_goes_on(
    example_portfolio: Path,
) -> None:
    # audit17 item 7: on a store whose disk had room for the tables but not for what a collect
    # keeps, `send` died with a raw "database or disk is full" from the cache's put. A real
    # SQLite file capped at its present size (PRAGMA max_page_count) refuses to grow exactly as
    # a full disk does (SQLITE_FULL), without root
    from execbrief.config import load_config
    from execbrief.pipeline import collect
    from execbrief.plugins import get_registry
    from execbrief.store.sourcecache import SourceCache

    registry = get_registry()
    config = load_config(example_portfolio, registry.option_models())
    as_of = FakeTime().now().date()
    said: list[str] = []
    path = example_portfolio.parent / "capped.db"
    with Store(path, clock=FakeTime().now) as store:
        pages = store.db.execute("PRAGMA page_count").fetchone()[0]
        store.db.execute(f"PRAGMA max_page_count = {pages}")
        cache = SourceCache(store, b"k" * 32, store.now())
        cache.warn = said.append
        snapshot = collect(config, registry, as_of, key=b"k" * 32, cache=cache, now=cache.stamp)
        kept = store.db.execute("SELECT COUNT(*) FROM source_cache").fetchone()[0]
    uncached = collect(config, registry, as_of, key=b"k" * 32)
    assert snapshot.to_dict() == uncached.to_dict()  # every source read, none lost
    # what fits in the file's free pages may be kept (a packed result is small); the rest is not
    assert kept < sum(len(entity.sources) for entity in config.entities)
    assert said == [
        f"{path}: the source cache cannot be written (the disk is full); this run goes on without"
        " keeping what it reads, so the next one reads it again (free space on that disk to keep it)"
    ]


@pytest.fixture
def read_only_store(tmp_path: Path) -> Iterator[Path]:
    """A store file (made by an earlier run) that can be read and not written: on a tmpfs
    remounted read-only as root (root writes through file modes), else by the modes of the file
    and its folder."""
    folder = tmp_path / "ro"
    folder.mkdir()
    as_root = os.geteuid() == 0
    if as_root:
        done = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(folder)],
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs here ({done.stderr.strip() or done.returncode})")
    path = folder / "store.db"
    with Store(path, clock=FakeTime().now):
        pass
    try:
        if as_root:
            subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
        else:
            path.chmod(0o444)
            folder.chmod(0o555)
        yield path
    finally:
        if as_root:
            subprocess.run(["umount", "-l", str(folder)], check=False)
        else:
            folder.chmod(0o755)


READ_ONLY_CAUSE = {
    True: "the disk it is on is mounted read-only",
    False: "the file and its folder are read-only",
}


def test_a_read_only_store_sends_nothing_and_alerts_the_operator(
    tmp_path: Path, read_only_store: Path
) -> None:
    # audit17 item 10: one sentence and nothing sent, but no alert, though delivery.md promises
    # one for every store failure; the outbox can be written, so the alert goes through it
    from click.testing import CliRunner

    from execbrief.cli import cli
    from kits.send_cli import NOTE

    (tmp_path / "handoffs").mkdir()
    (tmp_path / "handoffs" / "harbor-charters.md").write_text(NOTE)
    config = tmp_path / "portfolio.toml"
    config.write_text(
        '[portfolio]\nname = "Test Holdings"\n\n[delivery]\ntransport = "outbox"\n'
        f'sender = "reports@harbor.example"\noperator = "{OPS}"\nstore = "{read_only_store}"\n\n'
        '[reports.ceo]\nto = ["a@harbor.example"]\n\n[[entities]]\nid = "harbor-charters"\n'
        'name = "Harbor Charters"\nkind = "charter"\nhandoff = "handoffs/harbor-charters.md"\n'
    )
    done = CliRunner().invoke(
        cli, ["send", "-c", str(config), "--as-of", "2026-11-20"], catch_exceptions=False
    )
    assert done.exit_code == 1
    said = " ".join(done.output.split())
    assert "Traceback" not in said
    # a tmpfs remounted read-only as root, else a read-only file in a read-only folder
    cause = READ_ONLY_CAUSE[os.geteuid() == 0]
    assert f"{read_only_store}: the store cannot be opened ({cause})" in said
    assert f"nothing was sent (operator: alerted {OPS})" in said
    mails = [email.message_from_bytes(p.read_bytes()) for p in (tmp_path / "outbox").glob("*.eml")]
    assert [str(m["To"]) for m in mails] == [OPS]
    body = " ".join(mails[0].get_payload(decode=True).decode().split())
    assert "execbrief send for period 2026-10 needs attention" in body
    assert f"the store cannot be opened ({cause})" in body
    assert "writable and run again; nothing was sent" in body


def as_plain_user(command: list[str]) -> list[str]:
    """``command`` run without root's power to write through file modes (root keeps every
    other right), so a folder's mode binds it as it binds anyone."""
    if os.geteuid() != 0:
        return command
    drop = "-dac_override,-dac_read_search"
    return ["setpriv", f"--inh-caps={drop}", f"--bounding-set={drop}", *command]


def test_a_store_whose_folder_alone_is_read_only_says_the_folder(tmp_path: Path) -> None:
    # audit17 (27a): the store file was writable and its folder not, and the sentence said "the
    # file is read-only"; the alert's Message-ID held "runNone" (no run could be recorded)
    import sys

    from kits.send_cli import NOTE

    folder = tmp_path / "store"
    folder.mkdir()
    store = folder / "store.db"
    with Store(store, clock=FakeTime().now):
        pass
    (tmp_path / "handoffs").mkdir()
    (tmp_path / "handoffs" / "harbor-charters.md").write_text(NOTE)
    config = tmp_path / "portfolio.toml"
    config.write_text(
        '[portfolio]\nname = "Test Holdings"\n\n[delivery]\ntransport = "outbox"\n'
        f'sender = "reports@harbor.example"\noperator = "{OPS}"\nstore = "{store}"\n\n'
        '[reports.ceo]\nto = ["a@harbor.example"]\n\n[[entities]]\nid = "harbor-charters"\n'
        'name = "Harbor Charters"\nkind = "charter"\nhandoff = "handoffs/harbor-charters.md"\n'
    )
    folder.chmod(0o555)
    try:
        done = subprocess.run(
            as_plain_user(
                [
                    sys.executable,
                    "-m",
                    "execbrief",
                    "send",
                    "-c",
                    str(config),
                    "--as-of",
                    "2026-11-20",
                ]
            ),
            capture_output=True,
            text=True,
            timeout=120,
        )
    finally:
        folder.chmod(0o755)
    said = " ".join(done.stderr.split())
    assert done.returncode == 1, said
    assert "Traceback" not in said
    assert f"{store}: the store cannot be opened (its folder is read-only)" in said
    assert "make the store and its folder writable" in said
    mails = [email.message_from_bytes(p.read_bytes()) for p in (tmp_path / "outbox").glob("*.eml")]
    assert [str(m["To"]) for m in mails] == [OPS]
    message_id = str(mails[0]["Message-ID"])
    assert "None" not in message_id
    assert message_id.endswith(".alert.2026-10@harbor.example>"), message_id
