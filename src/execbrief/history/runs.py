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
from execbrief.store.history import DocumentRow, FindingRow, HistoryTables, MetricRow


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
        self.tables = HistoryTables(store)

    def record(
        self, run_id: int, period: str, snapshot: Snapshot, documents: list[Document]
    ) -> None:
        """Store what a run saw and built, in one transaction."""
        blob = zlib.compress(json.dumps(snapshot.to_dict()).encode(), 6)
        summary = json.dumps(snapshot_summary(snapshot), sort_keys=True)
        self.tables.record(
            run_id,
            period,
            (snapshot.as_of.isoformat(), summary, blob),
            [_rows(run_id, period, document) for document in documents],
        )

    def latest_documents(
        self, before: str | None = None, report: str | None = None
    ) -> list[StoredDocument]:
        """The latest stored document per (period, report), periods before ``before`` if given."""
        return [
            StoredDocument(
                row.run_id,
                row.period,
                row.report,
                Document.from_dict(json.loads(row.document_json)),
            )
            for row in self.tables.latest_documents(before, report)
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
        sent = self.tables.delivered_reports()
        return [doc for doc in self.latest_documents() if (doc.report, doc.period) in sent]

    def period_summary(self, period: str) -> dict[str, Any]:
        """What the runs of one period saw and built: snapshot summaries, documents, findings."""
        rows = self.tables.period_rows(period)
        snapshots = [
            {"run_id": row["run_id"], **json.loads(row["summary"])} for row in rows["snapshots"]
        ]
        documents = [
            {
                "run_id": row["run_id"],
                "report": row["report"],
                "as_of": row["as_of"],
                "sha256": row["content_sha256"],
            }
            for row in rows["documents"]
        ]
        return {
            "period": period,
            "snapshots": snapshots,
            "documents": documents,
            "findings": rows["findings"],
        }

    def snapshot(self, run_id: int) -> Snapshot | None:
        """The full snapshot a run stored."""
        blob = self.tables.snapshot_blob(run_id)
        if blob is None:
            return None
        return Snapshot.from_dict(json.loads(zlib.decompress(blob)))


def _rows(
    run_id: int, period: str, document: Document
) -> tuple[DocumentRow, list[MetricRow], list[FindingRow]]:
    """A document as the rows of the history tables: itself, its comparable figures, its findings
    (each finding id once)."""
    stored = DocumentRow(
        run_id,
        period,
        document.report,
        document.as_of.isoformat(),
        document_sha256(document),
        json.dumps(document.to_dict()),
    )
    metrics = []
    for key, metric in comparable_metrics(document).items():
        number = metric_number(metric.value)
        metrics.append(
            MetricRow(
                key,
                metric.id,
                metric.entity,
                metric.label,
                json.dumps(to_jsonable(metric.value)),
                None if number is None else str(number),
            )
        )
    findings: dict[str, FindingRow] = {}
    for finding in document.findings():
        findings.setdefault(
            finding.id,
            FindingRow(
                finding.id, finding.rule, finding.severity.value, finding.entity, finding.title
            ),
        )
    return stored, metrics, list(findings.values())
