"""Run history in the store: what each run saw (snapshot), built (documents, metrics, findings),
and what the next run compares against.

Deltas and trends are read from here, so they depend only on stored history; ``record`` is called
by ``execbrief send`` after the documents are built.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from execbrief.document import Document
from execbrief.findings import MetricValue, metric_number
from execbrief.history.deltas import (
    PriorRun,
    comparable_metrics,
    with_deltas,
)
from execbrief.serialization import to_jsonable
from execbrief.snapshot import Snapshot
from execbrief.store.db import Store


def document_sha256(document: Document) -> str:
    """A stable hash of a document's content."""
    return hashlib.sha256(json.dumps(document.to_dict(), sort_keys=True).encode()).hexdigest()


def snapshot_summary(snapshot: Snapshot) -> dict[str, Any]:
    """Per entity and source: record count, date range, errors (messages name file and line)."""
    return {
        "as_of": snapshot.as_of.isoformat(),
        "sources": [
            {
                "entity": result.entity,
                "kind": result.kind,
                "records": len(result.records),
                "first": result.first_date.isoformat() if result.first_date else None,
                "last": result.last_date.isoformat() if result.last_date else None,
                "stale": bool(result.freshness and result.freshness.stale),
                "errors": [error.describe() for error in result.errors],
            }
            for result in snapshot.results
        ],
    }


@dataclass(frozen=True)
class StoredDocument:
    """A document as stored by a run."""

    run_id: int
    period: str
    report: str
    document: Document


class History:
    """Reads and writes run history in a ``Store``."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def record(
        self, run_id: int, period: str, snapshot: Snapshot, documents: list[Document]
    ) -> None:
        """Store what a run saw and built, in one transaction."""
        blob = zlib.compress(json.dumps(snapshot.to_dict()).encode(), 6)
        summary = json.dumps(snapshot_summary(snapshot), sort_keys=True)
        with self.store.transaction() as db:
            db.execute(
                "INSERT INTO snapshots (run_id, period, as_of, summary, snapshot) VALUES (?, ?, ?, ?, ?)",
                (run_id, period, snapshot.as_of.isoformat(), summary, blob),
            )
            for document in documents:
                db.execute(
                    "INSERT OR REPLACE INTO documents (run_id, period, report, as_of, content_sha256, document)"
                    " VALUES (?, ?, ?, ?, ?, ?)",
                    (
                        run_id,
                        period,
                        document.report,
                        document.as_of.isoformat(),
                        document_sha256(document),
                        json.dumps(document.to_dict()),
                    ),
                )
                db.execute(
                    "DELETE FROM metrics WHERE run_id = ? AND report = ?", (run_id, document.report)
                )
                db.execute(
                    "DELETE FROM findings WHERE run_id = ? AND report = ?",
                    (run_id, document.report),
                )
                for key, metric in comparable_metrics(document).items():
                    number = metric_number(metric.value)
                    db.execute(
                        "INSERT INTO metrics (run_id, period, report, metric_key, metric_id, entity, label, value, number)"
                        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (
                            run_id,
                            period,
                            document.report,
                            key,
                            metric.id,
                            metric.entity,
                            metric.label,
                            json.dumps(to_jsonable(metric.value)),
                            None if number is None else str(number),
                        ),
                    )
                seen: set[str] = set()
                for finding in document.findings():
                    if finding.id in seen:
                        continue
                    seen.add(finding.id)
                    db.execute(
                        "INSERT INTO findings (run_id, period, report, finding_id, rule, severity, entity, title)"
                        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        (
                            run_id,
                            period,
                            document.report,
                            finding.id,
                            finding.rule,
                            finding.severity.value,
                            finding.entity,
                            finding.title,
                        ),
                    )

    def latest_documents(
        self, before: str | None = None, report: str | None = None
    ) -> list[StoredDocument]:
        """The latest stored document per (period, report), periods before ``before`` if given."""
        query = (
            "SELECT d.run_id, d.period, d.report, d.document FROM documents d"
            " JOIN (SELECT period, report, MAX(run_id) AS run_id FROM documents GROUP BY period, report) latest"
            " ON d.period = latest.period AND d.report = latest.report AND d.run_id = latest.run_id"
            " WHERE (? IS NULL OR d.period < ?) AND (? IS NULL OR d.report = ?)"
            " ORDER BY d.period, d.report"
        )
        rows = self.store.db.execute(query, (before, before, report, report)).fetchall()
        return [
            StoredDocument(
                row["run_id"],
                row["period"],
                row["report"],
                Document.from_dict(json.loads(row["document"])),
            )
            for row in rows
        ]

    def prior(self, report: str, period: str) -> PriorRun | None:
        """The previous report of this kind (latest run of the latest earlier period) with history."""
        earlier = self.latest_documents(before=period, report=report)
        if not earlier:
            return None
        previous = earlier[-1]
        open_periods: dict[str, int] = {}
        for finding in previous.document.findings():
            count = 0
            for stored in reversed(earlier):
                if any(f.id == finding.id for f in stored.document.findings()):
                    count += 1
                else:
                    break
            open_periods[finding.id] = count
        series: dict[str, list[tuple[str, MetricValue]]] = {}
        for stored in earlier:
            for key, metric in comparable_metrics(stored.document).items():
                series.setdefault(key, []).append((stored.period, metric.value))
        return PriorRun(previous.period, previous.document, open_periods, series)

    def with_deltas(
        self,
        document: Document,
        threshold_percent: Decimal,
        names: Mapping[str, str] | None = None,
    ) -> Document:
        """The document with its "Since last report" section first (``names``: entity names)."""
        prior = self.prior(document.report, document.period)
        return with_deltas(document, prior, threshold_percent, names)

    def sent_documents(self) -> list[StoredDocument]:
        """The latest stored document per (period, report) that was delivered to someone."""
        sent = {
            (row["report"], row["period"])
            for row in self.store.db.execute(
                "SELECT DISTINCT report, period FROM deliveries WHERE status IN ('sent', 'delivered')"
            )
        }
        return [doc for doc in self.latest_documents() if (doc.report, doc.period) in sent]

    def period_summary(self, period: str) -> dict[str, Any]:
        """What the runs of one period saw and built: snapshot summaries, documents, findings."""
        db = self.store.db
        snapshots = [
            {"run_id": row["run_id"], **json.loads(row["summary"])}
            for row in db.execute(
                "SELECT run_id, summary FROM snapshots WHERE period = ? ORDER BY run_id", (period,)
            )
        ]
        documents = [
            {
                "run_id": row["run_id"],
                "report": row["report"],
                "as_of": row["as_of"],
                "sha256": row["content_sha256"],
            }
            for row in db.execute(
                "SELECT run_id, report, as_of, content_sha256 FROM documents WHERE period = ? ORDER BY run_id, report",
                (period,),
            )
        ]
        findings = [
            dict(row)
            for row in db.execute(
                "SELECT run_id, report, finding_id, severity, entity, title FROM findings WHERE period = ?"
                " ORDER BY run_id, report, finding_id",
                (period,),
            )
        ]
        return {
            "period": period,
            "snapshots": snapshots,
            "documents": documents,
            "findings": findings,
        }

    def snapshot(self, run_id: int) -> Snapshot | None:
        """The full snapshot a run stored."""
        row = self.store.db.execute(
            "SELECT snapshot FROM snapshots WHERE run_id = ?", (run_id,)
        ).fetchone()
        if row is None:
            return None
        return Snapshot.from_dict(json.loads(zlib.decompress(row["snapshot"])))
