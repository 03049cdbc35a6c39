"""The store: one SQLite file (WAL) holding runs, deliveries and provider events.

A delivery row (one per report x period x recipient) is *claimed* inside one ``BEGIN IMMEDIATE``
transaction before the transport is called, and *completed* after, so two processes never send the
same delivery and a crash leaves a visible ``sending`` row that a later run shows as ``unknown``.
A claimed row says whether a call of the transport may be in flight: ``waiting_since`` is set
from the claim until ``attempt`` records the first call (committed before the transport is
called), and again while the sender waits to retry. A sender that dies (or whose store refuses
the ``attempt`` write) with it set never handed the message over, so the next run sends it.

Statuses (``DeliveryStatus`` in ``store/status.py``)::

    pending    recorded, not attempted (the run halted first, or its sender stopped after the
               claim and before calling the transport); sent by the next run
    sending    claimed; the transport is being called now, or is not called yet, or the sender
               waits to retry (those two: ``waiting_since`` is set), or the sender crashed
    sent       the provider accepted it; ``message_id`` is the provider's id
    failed     the provider refused it or retries ran out; retried by the next run
    deferred   the daily quota was spent; retried by the next run
    blocked    the secret guard or the reconciliation gate stopped it; retried by the next run
    unknown    claimed by a sender that died before recording the outcome; not re-sent unless
               the operator says so (``--resend-unknown``) or a provider event settles it
    delivered, bounced, complained, rejected
               what the provider reported later (``execbrief track``)

Time comes from the ``clock`` passed in; the store never reads the system clock itself.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Literal, Self

from execbrief.errors import StoreError
from execbrief.store.migrations import migrate
from execbrief.store.status import ACCEPTED, EVENT_RANK, RETRYABLE, DeliveryStatus

__all__ = [
    "ACCEPTED",
    "EVENT_RANK",
    "RETRYABLE",
    "Claim",
    "Delivery",
    "DeliveryKey",
    "DeliveryStatus",
    "Event",
    "Run",
    "Store",
]

try:
    import fcntl
except ImportError:  # Windows: liveness falls back to the process id
    fcntl = None  # type: ignore[assignment]

Clock = Callable[[], datetime]
AliveCheck = Callable[[int | None, str | None], bool]


def timestamp(moment: datetime) -> str:
    """An aware datetime as ``2026-11-20T08:00:00Z`` (naive datetimes are taken as UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def process_alive(pid: int | None, host: str | None) -> bool:
    """Whether process ``pid`` on ``host`` still runs (a process on another host counts as alive)."""
    if pid is None:
        return False
    if host and host != socket.gethostname():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@dataclass(frozen=True)
class DeliveryKey:
    """What makes a delivery unique: one report, one period, one recipient."""

    report: str
    period: str
    recipient: str


@dataclass(frozen=True)
class Delivery:
    """One row of the ``deliveries`` table."""

    id: int
    run_id: int | None
    report: str
    period: str
    recipient: str
    content_sha256: str | None
    transport: str | None
    message_id: str | None
    status: DeliveryStatus
    error: str | None
    response: str | None
    claimed_at: str | None
    sent_at: str | None
    updated_at: str
    attempts: int
    #: Since when a claimed row has no call of the transport in flight: set by the claim (the
    #: transport not called yet) and while the sender waits to retry after a refused attempt;
    #: None once ``attempt`` records a call. A ``sending`` row left with it set was not sent.
    waiting_since: str | None = None

    @property
    def key(self) -> DeliveryKey:
        """The unique key of this delivery."""
        return DeliveryKey(self.report, self.period, self.recipient)

    def to_dict(self) -> dict[str, Any]:
        """The row as JSON data."""
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


@dataclass(frozen=True)
class Run:
    """One row of the ``runs`` table."""

    id: int
    started: str
    finished: str | None
    command: str
    as_of: str | None
    period: str | None
    status: str
    summary: str | None
    pid: int | None
    host: str | None


@dataclass(frozen=True)
class Event:
    """One row of the ``events`` table."""

    id: int
    delivery_id: int | None
    message_id: str | None
    type: str
    at: str
    detail: str | None


ClaimOutcome = Literal["claimed", "accepted", "unknown", "busy"]


@dataclass(frozen=True)
class Claim:
    """The answer to a claim: ``claimed`` (send it now), ``accepted`` (already sent), ``unknown``
    (a crashed sender left it; not re-sent) or ``busy`` (another live run is sending it)."""

    outcome: ClaimOutcome
    delivery: Delivery

    @property
    def claimed(self) -> bool:
        """True when this caller now owns the delivery and must send it."""
        return self.outcome == "claimed"


class Store:
    """The SQLite store. Open with ``Store(path, clock=...)``; use as a context manager."""

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        clock: Clock,
        is_alive: AliveCheck | None = None,
        busy_timeout: float = 30.0,
    ) -> None:
        self.path = Path(path)
        self.clock = clock
        self.is_alive = is_alive
        self._locks: dict[int, int] = {}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(
                self.path, isolation_level=None, timeout=busy_timeout, check_same_thread=False
            )
            self.db.row_factory = sqlite3.Row
            self.db.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
            self.db.execute("PRAGMA journal_mode = WAL")
            self.db.execute("PRAGMA synchronous = NORMAL")
            self.db.execute("PRAGMA foreign_keys = ON")
            migrate(self.db)
        except sqlite3.Error as exc:
            raise StoreError(self._refusal(exc, "cannot be opened")) from None
        except OSError as exc:
            raise StoreError(
                f"{self.path}: cannot open the store ({exc}); check the path and its permissions"
            ) from None

    def close(self) -> None:
        """Close the connection and let go of the runs this store started."""
        for run_id in list(self._locks):
            self._release(run_id)
        self.db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def has_runs(self) -> bool:
        """Whether any run was ever recorded (a store may hold only the source cache)."""
        return self.db.execute("SELECT 1 FROM runs LIMIT 1").fetchone() is not None

    def now(self) -> str:
        """The clock's time as a store timestamp."""
        return timestamp(self.clock())

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction (``BEGIN IMMEDIATE``: other writers wait for it).

        A write SQLite refuses (a full disk, a read-only file, a lock held past the busy timeout)
        is a ``StoreError`` of one sentence saying what to do; the transaction is rolled back, so
        nothing is half-written.
        """
        try:
            self.db.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise StoreError(self._refusal(exc, "cannot start a transaction")) from None
        try:
            yield self.db
            self.db.execute("COMMIT")
        except sqlite3.Error as exc:
            self._rollback()
            raise StoreError(self._refusal(exc, "cannot be written")) from None
        except BaseException:
            self._rollback()
            raise

    def _rollback(self) -> None:
        # SQLite may have rolled back already (a full disk ends the transaction itself)
        with contextlib.suppress(sqlite3.Error):
            self.db.execute("ROLLBACK")

    def _refusal(self, exc: sqlite3.Error, what: str) -> str:
        cause, fix = refusal_cause(exc, self.path)
        return f"{self.path}: the store {what} ({cause}); {fix} and run again"

    # ------------------------------------------------------------------ runs

    def start_run(
        self,
        command: str,
        *,
        as_of: str | None = None,
        period: str | None = None,
        pid: int | None = None,
        host: str | None = None,
    ) -> int:
        """Record a run as ``running``; return its id."""
        with self.transaction() as db:
            cursor = db.execute(
                "INSERT INTO runs (started, command, as_of, period, status, pid, host) VALUES (?, ?, ?, ?, 'running', ?, ?)",
                (
                    self.now(),
                    command,
                    as_of,
                    period,
                    os.getpid() if pid is None else pid,
                    host or socket.gethostname(),
                ),
            )
            run_id = int(cursor.lastrowid or 0)
            # Lock before the commit: once others can see the run, its lock says it lives.
            self._hold(run_id)
        return run_id

    def finish_run(
        self, run_id: int, status: str, summary: dict[str, Any] | str | None = None
    ) -> None:
        """Record how a run ended (``ok``, ``failed``, ``halted``) with a short summary."""
        text = json.dumps(summary, sort_keys=True) if isinstance(summary, dict) else summary
        with self.transaction() as db:
            db.execute(
                "UPDATE runs SET finished = ?, status = ?, summary = ? WHERE id = ?",
                (self.now(), status, text, run_id),
            )
        self._release(run_id)

    def run(self, run_id: int) -> Run:
        """The run with this id."""
        row = self.db.execute("SELECT * FROM runs WHERE id = ?", (run_id,)).fetchone()
        if row is None:
            raise StoreError(f"{self.path}: no run {run_id}")
        return Run(**dict(row))

    def runs(self) -> list[Run]:
        """Every run, oldest first."""
        return [Run(**dict(row)) for row in self.db.execute("SELECT * FROM runs ORDER BY id")]

    def _run_alive(self, db: sqlite3.Connection, run_id: int | None) -> bool:
        if run_id is None:
            return False
        row = db.execute("SELECT status, pid, host FROM runs WHERE id = ?", (run_id,)).fetchone()
        return (
            row is not None
            and row["status"] == "running"
            and self._alive(run_id, row["pid"], row["host"])
        )

    # A running run holds an exclusive flock on ``<store>.run-<id>.lock``; the kernel drops it
    # when the process dies, however it dies. So liveness survives PID reuse (a container whose
    # every run is PID 1), which a process-id check alone would not.

    def _lock_path(self, run_id: int) -> Path:
        return self.path.with_name(f"{self.path.name}.run-{run_id}.lock")

    def _hold(self, run_id: int) -> None:
        if fcntl is None:
            return
        try:
            fd = os.open(self._lock_path(run_id), os.O_RDWR | os.O_CREAT, 0o600)
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            raise StoreError(f"{self._lock_path(run_id)}: cannot lock the run ({exc})") from None
        self._locks[run_id] = fd

    def _release(self, run_id: int) -> None:
        fd = self._locks.pop(run_id, None)
        if fd is not None:
            self._lock_path(run_id).unlink(missing_ok=True)
            os.close(fd)

    def _lock_held(self, run_id: int) -> bool | None:
        """True: a live process holds the run's lock; False: nobody does; None: no lock to ask."""
        if run_id in self._locks:
            return True
        if fcntl is None:
            return None
        try:
            fd = os.open(self._lock_path(run_id), os.O_RDWR)
        except FileNotFoundError:
            return None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        finally:
            os.close(fd)
        return False

    def _alive(self, run_id: int, pid: int | None, host: str | None) -> bool:
        if self.is_alive is not None:
            return self.is_alive(pid, host)
        held = self._lock_held(run_id)
        return process_alive(pid, host) if held is None else held

    # ------------------------------------------------------------------ deliveries

    def claim(
        self,
        key: DeliveryKey,
        *,
        run_id: int,
        transport: str,
        content_sha256: str,
        force: bool = False,
        resend_unknown: bool = False,
    ) -> Claim:
        """Claim a delivery for sending, inside one transaction.

        A new or retryable delivery becomes ``sending`` and is ours, with no call in flight yet
        (``waiting_since`` set until ``attempt``). An accepted one is left alone
        unless ``force``; an ``unknown`` one unless ``resend_unknown``. A ``sending`` row whose
        run is dead becomes ``unknown``; one whose run still lives is ``busy``.
        """
        now = self.now()
        with self.transaction() as db:
            row = self._select(db, key)
            if row is not None:
                status = row.status
                if status == DeliveryStatus.SENDING:
                    if row.run_id != run_id and self._run_alive(db, row.run_id):
                        return Claim("busy", row)
                    status, reason = _dead_claim(row)
                    self._update(
                        db, row.id, status=status, error=reason, waiting_since=None, updated_at=now
                    )
                    row = self._select_id(db, row.id)
                if status in ACCEPTED and not force:
                    return Claim("accepted", row)
                if status == DeliveryStatus.UNKNOWN and not (resend_unknown or force):
                    return Claim("unknown", row)
                if status in ACCEPTED and row.message_id:
                    self._event(
                        db,
                        row.id,
                        row.message_id,
                        "superseded",
                        now,
                        {"status": status, "forced": True},
                    )
                self._update(
                    db,
                    row.id,
                    status=DeliveryStatus.SENDING,
                    run_id=run_id,
                    transport=transport,
                    content_sha256=content_sha256,
                    message_id=None,
                    error=None,
                    response=None,
                    claimed_at=now,
                    sent_at=None,
                    waiting_since=now,  # claimed, the transport not called yet
                    updated_at=now,
                )
                return Claim("claimed", self._select_id(db, row.id))
            cursor = db.execute(
                "INSERT INTO deliveries (run_id, report, period, recipient, content_sha256, transport, status,"
                " claimed_at, waiting_since, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    run_id,
                    key.report,
                    key.period,
                    key.recipient,
                    content_sha256,
                    transport,
                    DeliveryStatus.SENDING,
                    now,
                    now,  # claimed, the transport not called yet
                    now,
                ),
            )
            return Claim("claimed", self._select_id(db, int(cursor.lastrowid or 0)))

    def attempt(self, delivery_id: int) -> None:
        """Count one call of the transport for this delivery, before the call: from here the call
        may be in flight (``waiting_since`` cleared), so a sender dying now leaves it ``unknown``."""
        with self.transaction() as db:
            db.execute(
                "UPDATE deliveries SET attempts = attempts + 1, error = NULL, waiting_since = NULL,"
                " updated_at = ? WHERE id = ?",
                (self.now(), delivery_id),
            )

    def backoff(self, delivery_id: int, error: str) -> None:
        """The provider refused the last call with a transient error and the sender waits to retry.

        The row stays claimed (``sending``), but no call is in flight (``waiting_since`` says
        since when): if the sender dies while waiting, the delivery was certainly not sent, so it
        becomes ``failed`` (retried by the next run) rather than ``unknown``. ``attempt`` clears
        ``waiting_since`` before the next call.
        """
        now = self.now()
        with self.transaction() as db:
            self._update(db, delivery_id, error=error, waiting_since=now, updated_at=now)

    def complete(self, delivery_id: int, message_id: str, response: str | None = None) -> Delivery:
        """The provider accepted the message: ``sent`` with its message id."""
        now = self.now()
        with self.transaction() as db:
            self._update(
                db,
                delivery_id,
                status=DeliveryStatus.SENT,
                message_id=message_id,
                response=response,
                error=None,
                sent_at=now,
                waiting_since=None,
                updated_at=now,
            )
            return self._select_id(db, delivery_id)

    def fail(
        self, delivery_id: int, error: str, *, status: DeliveryStatus = DeliveryStatus.FAILED
    ) -> Delivery:
        """Record a failure (``failed``, ``deferred``, ``blocked``, ``pending``) with its error."""
        if status not in RETRYABLE:
            raise ValueError(f"a failure status must be one of {sorted(RETRYABLE)}, not {status!r}")
        with self.transaction() as db:
            self._update(
                db,
                delivery_id,
                status=status,
                error=error,
                waiting_since=None,
                updated_at=self.now(),
            )
            return self._select_id(db, delivery_id)

    def defer(self, delivery_id: int, error: str) -> Delivery:
        """The daily quota is spent: ``deferred`` until the next run."""
        return self.fail(delivery_id, error, status=DeliveryStatus.DEFERRED)

    def mark_unknown(self, delivery_id: int, reason: str) -> Delivery:
        """Mark a delivery whose outcome is not known."""
        with self.transaction() as db:
            self._update(
                db,
                delivery_id,
                status=DeliveryStatus.UNKNOWN,
                error=reason,
                waiting_since=None,
                updated_at=self.now(),
            )
            return self._select_id(db, delivery_id)

    def record_unsent(
        self,
        key: DeliveryKey,
        *,
        run_id: int,
        transport: str,
        content_sha256: str | None,
        status: DeliveryStatus,
        error: str,
    ) -> Delivery | None:
        """Record a delivery that was not attempted (``blocked``, ``deferred``, ``pending``).

        Returns None, touching nothing, when the row is already accepted (even when forced), is
        ``unknown``, or is being sent by a live run: a gate must never hide an earlier outcome.
        """
        if status not in RETRYABLE:
            raise ValueError(f"an unsent status must be one of {sorted(RETRYABLE)}, not {status!r}")
        now = self.now()
        with self.transaction() as db:
            row = self._select(db, key)
            if row is None:
                cursor = db.execute(
                    "INSERT INTO deliveries (run_id, report, period, recipient, content_sha256, transport, status,"
                    " error, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        run_id,
                        key.report,
                        key.period,
                        key.recipient,
                        content_sha256,
                        transport,
                        status,
                        error,
                        now,
                    ),
                )
                return self._select_id(db, int(cursor.lastrowid or 0))
            if row.status in RETRYABLE:
                self._update(
                    db,
                    row.id,
                    status=status,
                    error=error,
                    run_id=run_id,
                    content_sha256=content_sha256,
                    updated_at=now,
                )
                return self._select_id(db, row.id)
            return None

    def recover(self) -> list[Delivery]:
        """Turn ``sending`` rows whose run has died into ``unknown``, and mark those runs
        ``crashed``; return the deliveries changed."""
        now = self.now()
        changed: list[Delivery] = []
        with self.transaction() as db:
            for row in [
                self._row(r)
                for r in db.execute(
                    "SELECT * FROM deliveries WHERE status = ?", (DeliveryStatus.SENDING,)
                )
            ]:
                if not self._run_alive(db, row.run_id):
                    status, reason = _dead_claim(row)
                    self._update(
                        db, row.id, status=status, error=reason, waiting_since=None, updated_at=now
                    )
                    changed.append(self._select_id(db, row.id))
            for run in db.execute(
                "SELECT id, pid, host FROM runs WHERE status = 'running'"
            ).fetchall():
                if not self._alive(run["id"], run["pid"], run["host"]):
                    db.execute(
                        "UPDATE runs SET status = 'crashed', finished = ? WHERE id = ?",
                        (now, run["id"]),
                    )
                    self._lock_path(run["id"]).unlink(missing_ok=True)
        return changed

    def set_status(
        self,
        delivery_id: int,
        status: DeliveryStatus,
        *,
        message_id: str | None = None,
        error: str | None = None,
    ) -> Delivery:
        """Set a status reported by the provider later (``delivered``, ``bounced``, ...)."""
        fields: dict[str, Any] = {"status": DeliveryStatus(status), "updated_at": self.now()}
        if message_id is not None:
            fields["message_id"] = message_id
        if error is not None:
            fields["error"] = error
        with self.transaction() as db:
            self._update(db, delivery_id, **fields)
            return self._select_id(db, delivery_id)

    def get(self, key: DeliveryKey) -> Delivery | None:
        """The delivery with this key, or None."""
        return self._select(self.db, key)

    def delivery(self, delivery_id: int) -> Delivery | None:
        """The delivery with this id, or None."""
        row = self.db.execute("SELECT * FROM deliveries WHERE id = ?", (delivery_id,)).fetchone()
        return None if row is None else self._row(row)

    def by_message_id(self, message_id: str) -> Delivery | None:
        """The delivery the provider knows by this message id, or None."""
        row = self.db.execute(
            "SELECT * FROM deliveries WHERE message_id = ? ORDER BY id DESC", (message_id,)
        ).fetchone()
        return None if row is None else self._row(row)

    def deliveries(
        self,
        *,
        period: str | None = None,
        report: str | None = None,
        status: DeliveryStatus | None = None,
    ) -> list[Delivery]:
        """Deliveries, filtered, ordered by period, report and recipient."""
        clauses, params = [], []
        for column, value in (("period", period), ("report", report), ("status", status)):
            if value is not None:
                clauses.append(f"{column} = ?")
                params.append(value)
        where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
        rows = self.db.execute(
            f"SELECT * FROM deliveries{where} ORDER BY period, report, recipient", params
        )
        return [self._row(row) for row in rows]

    # ------------------------------------------------------------------ events

    def record_event(
        self,
        *,
        delivery_id: int | None,
        message_id: str | None,
        type: str,
        at: datetime | str,
        detail: dict[str, Any] | None = None,
    ) -> int:
        """Record a provider event (``detail`` must hold no secret)."""
        when = at if isinstance(at, str) else timestamp(at)
        with self.transaction() as db:
            return self._event(db, delivery_id, message_id, type, when, detail)

    def events(self, *, delivery_id: int | None = None) -> list[Event]:
        """Events, oldest first, optionally for one delivery."""
        if delivery_id is None:
            rows = self.db.execute("SELECT * FROM events ORDER BY id")
        else:
            rows = self.db.execute(
                "SELECT * FROM events WHERE delivery_id = ? ORDER BY id", (delivery_id,)
            )
        return [Event(**dict(row)) for row in rows]

    # ------------------------------------------------------------------ helpers

    @staticmethod
    def _event(
        db: sqlite3.Connection,
        delivery_id: int | None,
        message_id: str | None,
        type: str,
        at: str,
        detail: dict[str, Any] | None,
    ) -> int:
        text = json.dumps(detail, sort_keys=True, default=str) if detail is not None else None
        cursor = db.execute(
            "INSERT INTO events (delivery_id, message_id, type, at, detail) VALUES (?, ?, ?, ?, ?)",
            (delivery_id, message_id, type, at, text),
        )
        return int(cursor.lastrowid or 0)

    @staticmethod
    def _row(row: sqlite3.Row) -> Delivery:
        data = dict(row)
        data["status"] = DeliveryStatus(data["status"])
        return Delivery(**data)

    def _select(self, db: sqlite3.Connection, key: DeliveryKey) -> Delivery | None:
        row = db.execute(
            "SELECT * FROM deliveries WHERE report = ? AND period = ? AND recipient = ?",
            (key.report, key.period, key.recipient),
        ).fetchone()
        return None if row is None else self._row(row)

    def _select_id(self, db: sqlite3.Connection, delivery_id: int) -> Delivery:
        row = db.execute("SELECT * FROM deliveries WHERE id = ?", (delivery_id,)).fetchone()
        if row is None:
            raise StoreError(f"{self.path}: no delivery {delivery_id}")
        return self._row(row)

    @staticmethod
    def _update(db: sqlite3.Connection, delivery_id: int, **fields: Any) -> None:
        assignments = ", ".join(f"{name} = ?" for name in fields)
        db.execute(
            f"UPDATE deliveries SET {assignments} WHERE id = ?", (*fields.values(), delivery_id)
        )


def refusal_cause(exc: sqlite3.Error, path: Path | None = None) -> tuple[str, str]:
    """Why SQLite refused a write to the store at ``path``, and what the operator does about
    it, in words. (A WAL store on a read-only disk, or in a folder that cannot be written, is
    "unable to open database file": its shared-memory file cannot be made.)"""
    text = str(exc).lower()
    if "full" in text:
        return "the disk is full", "free space on that disk"
    if "readonly" in text or "read-only" in text or _unwritable(text, path):
        return read_only_part(path), "make the store and its folder writable"
    if "locked" in text or "busy" in text:
        return "another process holds it locked", "let the other execbrief finish"
    return f"SQLite said: {exc}", "check the file and its folder"


def read_only_part(path: Path | None) -> str:
    """What is read-only about the store at ``path``: its disk, the file, its folder or both
    (a folder that cannot be written refuses the journal SQLite makes beside the file)."""
    if path is None:
        return "the file or its folder is read-only"
    folder = path.parent
    with contextlib.suppress(OSError):
        if os.statvfs(folder).f_flag & os.ST_RDONLY:
            return "the disk it is on is mounted read-only"
    file_locked = path.exists() and not os.access(path, os.W_OK)
    folder_locked = folder.exists() and not os.access(folder, os.W_OK)
    if file_locked and folder_locked:
        return "the file and its folder are read-only"
    if folder_locked:
        return "its folder is read-only"
    return "the file is read-only"


def _unwritable(text: str, path: Path | None) -> bool:
    if path is None or "unable to open" not in text:
        return False
    return any(os.path.exists(p) and not os.access(p, os.W_OK) for p in (path, path.parent))


def _dead_claim(row: Delivery) -> tuple[DeliveryStatus, str]:
    """The status and reason for a ``sending`` row whose run died: ``pending`` when it died
    before calling the transport, ``failed`` when it died waiting to retry (no call in flight
    either way: it was not sent), else ``unknown``."""
    if row.waiting_since is not None and row.error is None:
        return DeliveryStatus.PENDING, (
            f"run {row.run_id} claimed this delivery at {row.claimed_at} and stopped before calling "
            "the transport; it was not sent, and the next run sends it"
        )
    if row.waiting_since is not None:
        return DeliveryStatus.FAILED, (
            f"run {row.run_id} stopped while waiting to retry after a refused attempt ({row.error}); "
            "it was not sent, and the next run sends it"
        )
    return DeliveryStatus.UNKNOWN, _unknown_reason(row)


def _unknown_reason(row: Delivery) -> str:
    return (
        f"run {row.run_id} claimed this delivery at {row.claimed_at} and stopped before recording the outcome; "
        "it may or may not have been sent (check the recipient's inbox or run `execbrief track`, "
        "then send with --resend-unknown if it was not)"
    )
