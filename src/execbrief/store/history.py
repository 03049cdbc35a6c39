"""The SQL of the history tables: snapshots, documents, metrics and findings per run.

Rows go in and come out as plain values (JSON text, compressed bytes, strings); what they mean is
``execbrief.history``'s business. Deliveries and runs are ``execbrief.store.db``'s.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any

from execbrief.store.db import Store


@dataclass(frozen=True)
class DocumentRow:
    """One stored document: its run, period, report, as-of date, content hash and JSON."""

    run_id: int
    period: str
    report: str
    as_of: str
    content_sha256: str
    document_json: str


@dataclass(frozen=True)
class MetricRow:
    """One comparable figure of a stored document (``number``: its value as a decimal string)."""

    metric_key: str
    metric_id: str
    entity: str | None
    label: str
    value_json: str
    number: str | None


@dataclass(frozen=True)
class FindingRow:
    """One finding of a stored document."""

    finding_id: str
    rule: str
    severity: str
    entity: str | None
    title: str


class HistoryTables:
    """Reads and writes the history tables of one ``Store``."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def record(
        self,
        run_id: int,
        period: str,
        snapshot: tuple[str, str, bytes],
        documents: list[tuple[DocumentRow, list[MetricRow], list[FindingRow]]],
    ) -> None:
        """Store a run's snapshot (as-of, summary JSON, compressed JSON) and its documents, in one
        transaction; a document stored again by the same run replaces its figures and findings."""
        as_of, summary, blob = snapshot
        with self.store.transaction() as db:
            db.execute(
                "INSERT INTO snapshots (run_id, period, as_of, summary, snapshot) VALUES (?, ?, ?, ?, ?)",
                (run_id, period, as_of, summary, blob),
            )
            for document, metrics, findings in documents:
                _replace_document(db, document, metrics, findings)

    def latest_documents(
        self, before: str | None = None, report: str | None = None
    ) -> list[DocumentRow]:
        """The latest stored document per (period, report), periods before ``before`` if given."""
        query = (
            "SELECT d.run_id, d.period, d.report, d.as_of, d.content_sha256, d.document FROM documents d"
            " JOIN (SELECT period, report, MAX(run_id) AS run_id FROM documents GROUP BY period, report) latest"
            " ON d.period = latest.period AND d.report = latest.report AND d.run_id = latest.run_id"
            " WHERE (? IS NULL OR d.period < ?) AND (? IS NULL OR d.report = ?)"
            " ORDER BY d.period, d.report"
        )
        rows = self.store.db.execute(query, (before, before, report, report)).fetchall()
        return [_document_row(row) for row in rows]

    def delivered_reports(self) -> set[tuple[str, str]]:
        """(report, period) pairs that reached at least one recipient."""
        return {
            (row["report"], row["period"])
            for row in self.store.db.execute(
                "SELECT DISTINCT report, period FROM deliveries WHERE status IN ('sent', 'delivered')"
            )
        }

    def period_rows(self, period: str) -> dict[str, list[dict[str, Any]]]:
        """What the runs of one period stored: snapshot summaries, documents and findings."""
        db = self.store.db
        return {
            "snapshots": [
                dict(row)
                for row in db.execute(
                    "SELECT run_id, summary FROM snapshots WHERE period = ? ORDER BY run_id",
                    (period,),
                )
            ],
            "documents": [
                dict(row)
                for row in db.execute(
                    "SELECT run_id, report, as_of, content_sha256 FROM documents WHERE period = ?"
                    " ORDER BY run_id, report",
                    (period,),
                )
            ],
            "findings": [
                dict(row)
                for row in db.execute(
                    "SELECT run_id, report, finding_id, severity, entity, title FROM findings"
                    " WHERE period = ? ORDER BY run_id, report, finding_id",
                    (period,),
                )
            ],
        }

    def snapshot_blob(self, run_id: int) -> bytes | None:
        """The compressed snapshot JSON a run stored."""
        row = self.store.db.execute(
            "SELECT snapshot FROM snapshots WHERE run_id = ?", (run_id,)
        ).fetchone()
        return None if row is None else bytes(row["snapshot"])


def _replace_document(
    db: sqlite3.Connection,
    document: DocumentRow,
    metrics: list[MetricRow],
    findings: list[FindingRow],
) -> None:
    run_id, period, report = document.run_id, document.period, document.report
    db.execute(
        "INSERT OR REPLACE INTO documents (run_id, period, report, as_of, content_sha256, document)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (run_id, period, report, document.as_of, document.content_sha256, document.document_json),
    )
    db.execute("DELETE FROM metrics WHERE run_id = ? AND report = ?", (run_id, report))
    db.execute("DELETE FROM findings WHERE run_id = ? AND report = ?", (run_id, report))
    db.executemany(
        "INSERT INTO metrics (run_id, period, report, metric_key, metric_id, entity, label, value, number)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                run_id,
                period,
                report,
                m.metric_key,
                m.metric_id,
                m.entity,
                m.label,
                m.value_json,
                m.number,
            )
            for m in metrics
        ],
    )
    db.executemany(
        "INSERT INTO findings (run_id, period, report, finding_id, rule, severity, entity, title)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (run_id, period, report, f.finding_id, f.rule, f.severity, f.entity, f.title)
            for f in findings
        ],
    )


def _document_row(row: sqlite3.Row) -> DocumentRow:
    return DocumentRow(
        row["run_id"],
        row["period"],
        row["report"],
        row["as_of"],
        row["content_sha256"],
        row["document"],
    )
