"""The SQLite schema as an append-only list of named migrations (after llm's ``migrations.py``).

Each migration is a function decorated with ``@migration``; its name is recorded in the
``_migrations`` table once applied, so ``migrate(db)`` is idempotent and safe to call on every
open. Never edit or reorder a migration that has shipped: append a new one. Adding a table is::

    @migration
    def m005_snapshots(db: sqlite3.Connection) -> None:
        db.execute("CREATE TABLE snapshots (...)")
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

Migration = Callable[[sqlite3.Connection], None]

MIGRATIONS: list[tuple[str, Migration]] = []


def migration(function: Migration) -> Migration:
    """Append ``function`` to ``MIGRATIONS`` under its own name."""
    if any(name == function.__name__ for name, _ in MIGRATIONS):
        raise ValueError(f"a migration named {function.__name__!r} already exists")
    MIGRATIONS.append((function.__name__, function))
    return function


def applied(db: sqlite3.Connection) -> list[str]:
    """The names of the migrations already applied, in the order they ran."""
    _ensure_table(db)
    return [row[0] for row in db.execute("SELECT name FROM _migrations ORDER BY rowid")]


def migrate(
    db: sqlite3.Connection, migrations: list[tuple[str, Migration]] | None = None
) -> list[str]:
    """Apply every migration not yet recorded; return the names applied now.

    Each migration runs in its own ``BEGIN IMMEDIATE`` transaction with its record, so two
    processes opening a new store at once never apply one twice and a failure leaves no half step.
    ``db`` must be in autocommit mode (``isolation_level=None``).
    """
    _ensure_table(db)
    done: list[str] = []
    for name, function in MIGRATIONS if migrations is None else migrations:
        db.execute("BEGIN IMMEDIATE")
        try:
            if db.execute("SELECT 1 FROM _migrations WHERE name = ?", (name,)).fetchone():
                db.execute("COMMIT")
                continue
            function(db)
            db.execute("INSERT INTO _migrations (name) VALUES (?)", (name,))
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        done.append(name)
    return done


def _ensure_table(db: sqlite3.Connection) -> None:
    db.execute(
        "CREATE TABLE IF NOT EXISTS _migrations ("
        " name TEXT PRIMARY KEY,"
        " applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')))"
    )


@migration
def m001_runs(db: sqlite3.Connection) -> None:
    """One row per command run: what ran, for which period, and how it ended."""
    db.execute(
        """
        CREATE TABLE runs (
            id INTEGER PRIMARY KEY,
            started TEXT NOT NULL,
            finished TEXT,
            command TEXT NOT NULL,
            as_of TEXT,
            period TEXT,
            status TEXT NOT NULL DEFAULT 'running',
            summary TEXT,
            pid INTEGER,
            host TEXT
        )
        """
    )


@migration
def m002_deliveries(db: sqlite3.Connection) -> None:
    """One row per report x period x recipient, written before and after each send."""
    db.execute(
        """
        CREATE TABLE deliveries (
            id INTEGER PRIMARY KEY,
            run_id INTEGER REFERENCES runs(id),
            report TEXT NOT NULL,
            period TEXT NOT NULL,
            recipient TEXT NOT NULL,
            content_sha256 TEXT,
            transport TEXT,
            message_id TEXT,
            status TEXT NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'failed',
                'deferred', 'unknown', 'blocked', 'delivered', 'bounced', 'complained', 'rejected')),
            error TEXT,
            response TEXT,
            claimed_at TEXT,
            sent_at TEXT,
            updated_at TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            UNIQUE (report, period, recipient)
        )
        """
    )
    db.execute("CREATE INDEX deliveries_message_id ON deliveries (message_id)")
    db.execute("CREATE INDEX deliveries_status ON deliveries (status)")


@migration
def m003_events(db: sqlite3.Connection) -> None:
    """Provider events (SES delivery, bounce, complaint, ...) and local notes about deliveries."""
    db.execute(
        """
        CREATE TABLE events (
            id INTEGER PRIMARY KEY,
            delivery_id INTEGER REFERENCES deliveries(id),
            message_id TEXT,
            type TEXT NOT NULL,
            at TEXT NOT NULL,
            detail TEXT
        )
        """
    )
    db.execute("CREATE INDEX events_message_id ON events (message_id)")


@migration
def m004_history(db: sqlite3.Connection) -> None:
    """What each run saw and built, per period: its snapshot, documents, metrics and findings.

    Deltas ("since last report") and trends are computed from these rows, so they depend only on
    the stored history and the current run.
    """
    db.execute(
        """
        CREATE TABLE snapshots (
            id INTEGER PRIMARY KEY,
            run_id INTEGER NOT NULL REFERENCES runs(id),
            period TEXT NOT NULL,
            as_of TEXT NOT NULL,
            summary TEXT NOT NULL,
            snapshot BLOB NOT NULL
        )
        """
    )
    db.execute(
        """
        CREATE TABLE documents (
            id INTEGER PRIMARY KEY,
            run_id INTEGER NOT NULL REFERENCES runs(id),
            period TEXT NOT NULL,
            report TEXT NOT NULL,
            as_of TEXT NOT NULL,
            content_sha256 TEXT NOT NULL,
            document TEXT NOT NULL,
            UNIQUE (run_id, report)
        )
        """
    )
    db.execute(
        """
        CREATE TABLE metrics (
            id INTEGER PRIMARY KEY,
            run_id INTEGER NOT NULL REFERENCES runs(id),
            period TEXT NOT NULL,
            report TEXT NOT NULL,
            metric_key TEXT NOT NULL,
            metric_id TEXT NOT NULL,
            entity TEXT,
            label TEXT NOT NULL,
            value TEXT NOT NULL,
            number TEXT
        )
        """
    )
    db.execute(
        """
        CREATE TABLE findings (
            id INTEGER PRIMARY KEY,
            run_id INTEGER NOT NULL REFERENCES runs(id),
            period TEXT NOT NULL,
            report TEXT NOT NULL,
            finding_id TEXT NOT NULL,
            rule TEXT NOT NULL,
            severity TEXT NOT NULL,
            entity TEXT,
            title TEXT NOT NULL
        )
        """
    )
    db.execute("CREATE INDEX documents_period ON documents (report, period)")
    db.execute("CREATE INDEX metrics_period ON metrics (report, period, metric_key)")
    db.execute("CREATE INDEX findings_period ON findings (report, period, finding_id)")


#: How releases up to 0.1 marked a claimed row whose sender waited to retry: a prefix of its error.
_OLD_WAITING_MARK = "waiting to retry: "


@migration
def m005_waiting_since(db: sqlite3.Connection) -> None:
    """A claimed delivery whose sender waits to retry says so in ``waiting_since`` (when the wait
    began), not in a prefix of its error text. Rows an older release marked are carried over."""
    db.execute("ALTER TABLE deliveries ADD COLUMN waiting_since TEXT")
    db.execute(
        "UPDATE deliveries SET waiting_since = updated_at, error = substr(error, ?)"
        " WHERE status = 'sending' AND substr(error, 1, ?) = ?",
        (len(_OLD_WAITING_MARK) + 1, len(_OLD_WAITING_MARK), _OLD_WAITING_MARK),
    )


@migration
def m006_delivered_documents(db: sqlite3.Connection) -> None:
    """Which stored document each delivery carried: a delivery's run stored the document of its
    report that it sent (a skipped delivery keeps the run that sent it; a forced resend takes the
    resending run), so "since last report" compares with what the reader received, not with a
    later re-run whose deliveries were skipped or a report a gate held back. A stored figure keeps
    its unit."""
    db.execute(
        """
        CREATE VIEW delivered_documents AS
        SELECT dl.id AS delivery_id, dl.report, dl.period, dl.recipient, dl.status, dl.sent_at,
               doc.id AS document_id, doc.run_id, doc.as_of
        FROM deliveries dl
        JOIN documents doc ON doc.run_id = dl.run_id AND doc.report = dl.report
        """
    )
    db.execute("CREATE INDEX deliveries_report_recipient ON deliveries (report, recipient)")
    db.execute("ALTER TABLE metrics ADD COLUMN unit TEXT")  # "3 leads" reads back as it was shown


@migration
def m007_source_cache(db: sqlite3.Connection) -> None:
    """What a run read, kept for the next: each source's result (as redacted for the snapshot; no
    secret value is ever in it) under a key made of its files' size, modification time and
    content hash, its options and execbrief's version; and each file's last known hash."""
    db.execute(
        """
        CREATE TABLE source_files (
            path TEXT PRIMARY KEY,
            size INTEGER NOT NULL,
            mtime_ns INTEGER NOT NULL,
            sha256 TEXT NOT NULL
        )
        """
    )
    db.execute(
        """
        CREATE TABLE source_cache (
            key TEXT PRIMARY KEY,
            entity TEXT NOT NULL,
            kind TEXT NOT NULL,
            fingerprints TEXT NOT NULL,
            known TEXT NOT NULL,
            result BLOB NOT NULL,
            stored_at TEXT NOT NULL
        )
        """
    )
    db.execute("CREATE INDEX source_cache_entity ON source_cache (entity, kind)")
    # the reports built from one snapshot, config and period (before "Since last report")
    db.execute(
        "CREATE TABLE built_reports (key TEXT PRIMARY KEY, built BLOB NOT NULL,"
        " stored_at TEXT NOT NULL)"
    )


@migration
def m008_forecasts(db: sqlite3.Connection) -> None:
    """Each send run's 13-week cash forecast, one row per entity (or ``portfolio``) and week, so
    the next report can set the weeks that have passed against the cash that actually moved."""
    db.execute(
        """
        CREATE TABLE forecasts (
            id INTEGER PRIMARY KEY,
            run_id INTEGER NOT NULL REFERENCES runs(id),
            period TEXT NOT NULL,
            as_of TEXT NOT NULL,
            entity TEXT NOT NULL,
            week INTEGER NOT NULL,
            start TEXT NOT NULL,
            end TEXT NOT NULL,
            opening TEXT NOT NULL,
            inflow TEXT NOT NULL,
            outflow TEXT NOT NULL,
            closing TEXT NOT NULL,
            currency TEXT NOT NULL,
            UNIQUE (run_id, entity, week)
        )
        """
    )
    db.execute("CREATE INDEX forecasts_as_of ON forecasts (as_of, run_id)")
