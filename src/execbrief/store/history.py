"""The SQL of the history tables: snapshots, documents, metrics and findings per run.

Rows go in and come out as plain values (JSON text, compressed bytes, strings); what they mean is
``execbrief.history``'s business. Deliveries and runs are ``execbrief.store.db``'s.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any

from execbrief.store.db import Store
from execbrief.store.status import REACHED


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
    unit: str | None = None


@dataclass(frozen=True)
class FindingRow:
    """One finding of a stored document."""

    finding_id: str
    rule: str
    severity: str
    entity: str | None
    title: str


@dataclass(frozen=True)
class DeliveredRow:
    """A stored document that reached a recipient: its run, period, as-of date, and when it was
    first sent (``sent_at``, a timestamp; None for rows an old release wrote without one)."""

    run_id: int
    period: str
    as_of: str
    sent_at: str | None


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

    def delivered(self, report: str, recipient: str | None = None) -> list[DeliveredRow]:
        """The stored documents of ``report`` that reached ``recipient`` (None: anyone), one row
        per document, oldest run first (``delivered_documents`` links deliveries to documents)."""
        marks = ", ".join("?" for _ in REACHED)
        rows = self.store.db.execute(
            "SELECT run_id, period, as_of, MIN(sent_at) AS sent_at FROM delivered_documents"
            f" WHERE report = ? AND (? IS NULL OR recipient = ?) AND status IN ({marks})"
            " GROUP BY document_id ORDER BY run_id",
            (report, recipient, recipient, *(str(status) for status in sorted(REACHED))),
        ).fetchall()
        return [DeliveredRow(r["run_id"], r["period"], r["as_of"], r["sent_at"]) for r in rows]

    def document_json(self, run_id: int, report: str) -> str | None:
        """The JSON of the document ``report`` that run ``run_id`` stored."""
        row = self.store.db.execute(
            "SELECT document FROM documents WHERE run_id = ? AND report = ?", (run_id, report)
        ).fetchone()
        return None if row is None else str(row["document"])

    def finding_ids(self, report: str, run_ids: list[int]) -> dict[int, set[str]]:
        """The finding ids each of these runs stored for ``report``."""
        out: dict[int, set[str]] = {run_id: set() for run_id in run_ids}
        marks = ", ".join("?" for _ in run_ids)
        for row in self.store.db.execute(
            f"SELECT run_id, finding_id FROM findings WHERE report = ? AND run_id IN ({marks})",
            (report, *run_ids),
        ):
            out[row["run_id"]].add(row["finding_id"])
        return out

    def metric_values(self, report: str, run_ids: list[int]) -> dict[int, list[tuple[str, str]]]:
        """(comparison key, value JSON) of the figures each of these runs stored for ``report``."""
        out: dict[int, list[tuple[str, str]]] = {run_id: [] for run_id in run_ids}
        marks = ", ".join("?" for _ in run_ids)
        for row in self.store.db.execute(
            "SELECT run_id, metric_key, value FROM metrics"
            f" WHERE report = ? AND run_id IN ({marks}) ORDER BY id",
            (report, *run_ids),
        ):
            out[row["run_id"]].append((row["metric_key"], row["value"]))
        return out

    def delivered_documents(self) -> list[DocumentRow]:
        """Per (period, report), the stored document of the latest run that delivered it to
        someone (what its readers received, not a later re-run whose deliveries were skipped)."""
        marks = ", ".join("?" for _ in REACHED)
        query = (
            "SELECT d.run_id, d.period, d.report, d.as_of, d.content_sha256, d.document FROM documents d"
            " JOIN (SELECT period, report, MAX(run_id) AS run_id FROM delivered_documents"
            f" WHERE status IN ({marks}) GROUP BY period, report) sent"
            " ON d.period = sent.period AND d.report = sent.report AND d.run_id = sent.run_id"
            " ORDER BY d.period, d.report"
        )
        statuses = tuple(str(status) for status in sorted(REACHED))
        return [_document_row(row) for row in self.store.db.execute(query, statuses)]

    def delivered_runs(self, period: str) -> dict[str, int]:
        """Per report, the latest run of ``period`` whose document reached someone (what its
        readers received; a later re-run whose deliveries were skipped or blocked is not it)."""
        marks = ", ".join("?" for _ in REACHED)
        rows = self.store.db.execute(
            "SELECT report, MAX(run_id) AS run_id FROM delivered_documents"
            f" WHERE period = ? AND status IN ({marks}) GROUP BY report",
            (period, *(str(status) for status in sorted(REACHED))),
        )
        return {row["report"]: row["run_id"] for row in rows}

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
            "figures": [
                dict(row)
                for row in db.execute(
                    "SELECT run_id, report, metric_key, metric_id, entity, label, value, number,"
                    " unit FROM metrics WHERE period = ? ORDER BY run_id, report, id",
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
        "INSERT INTO metrics (run_id, period, report, metric_key, metric_id, entity, label, value,"
        " number, unit) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
                m.unit,
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
