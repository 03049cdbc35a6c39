"""Run history in the store: what each run saw (snapshot), built (documents, metrics, findings),
and what the next run compares against.

Deltas and trends are read from here, so they depend only on stored history; ``record`` is called
by ``execbrief send`` after the documents are built.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from execbrief.document import Document
from execbrief.findings import MetricValue, metric_number
from execbrief.history.deltas import (
    PriorRun,
    comparable_metrics,
    describe,
    with_deltas,
)
from execbrief.serialization import from_jsonable, to_jsonable, write_json
from execbrief.snapshot import Snapshot
from execbrief.store.db import Store
from execbrief.store.history import (
    DeliveredRow,
    DocumentRow,
    FindingRow,
    HistoryTables,
    MetricRow,
)
from execbrief.values import Period, PeriodParseError


def period_of(text: str) -> Period | None:
    """The period a stored row names, or None when it is not a month or quarter."""
    try:
        return Period.parse(text)
    except (PeriodParseError, ValueError):
        return None


def period_sort_key(text: str) -> tuple[str, str, str]:
    """Orders period names by their dates (month before quarter on the same start), names that
    are no period after them."""
    period = period_of(text)
    if period is None:
        return ("9999-99-99", "", text)
    return (period.start.isoformat(), period.kind, text)


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
        blob = _compressed_json(snapshot)
        summary = json.dumps(snapshot_summary(snapshot), sort_keys=True)
        self.tables.record(
            run_id,
            period,
            (snapshot.as_of.isoformat(), summary, blob),
            [_rows(run_id, period, document) for document in documents],
        )

    def delivered_chain(
        self, report: str, period: str, recipient: str | None = None
    ) -> list[DeliveredRow]:
        """The reports of this kind that reached ``recipient`` (None: anyone) for the periods
        of the same kind (months, or quarters) before ``period``, oldest first, one per period
        (the latest run delivered in it): the bases a report is compared with."""
        current = period_of(period)
        if current is None:
            return []
        latest: dict[Period, DeliveredRow] = {}
        for row in self.tables.delivered(report, recipient):
            earlier = period_of(row.period)
            if earlier is None or earlier.kind != current.kind or earlier.start >= current.start:
                continue
            if earlier not in latest or row.run_id > latest[earlier].run_id:
                latest[earlier] = row
        return [latest[key] for key in sorted(latest, key=lambda p: p.start)]

    def prior(self, report: str, period: str, recipient: str | None = None) -> PriorRun | None:
        """The report this one is compared with, the last of its kind delivered to ``recipient``
        (None: to anyone) for an earlier period of the same kind, with its delivered history."""
        chain = self.delivered_chain(report, period, recipient)
        if not chain:
            return None
        last = chain[-1]
        stored = self.tables.document_json(last.run_id, report)
        if stored is None:
            return None
        runs = [row.run_id for row in chain]
        found = self.tables.finding_ids(report, runs)
        document = Document.from_dict(json.loads(stored))
        open_periods: dict[str, int] = {}
        for finding in document.findings():
            count = 0
            for run_id in reversed(runs):
                if finding.id not in found[run_id]:
                    break
                count += 1
            open_periods[finding.id] = count
        series: dict[str, list[tuple[str, MetricValue]]] = {}
        values = self.tables.metric_values(report, runs)
        for row in chain:
            for key, value in values[row.run_id]:
                series.setdefault(key, []).append(
                    (row.period, from_jsonable(json.loads(value), MetricValue))
                )
        sent = last.sent_at[:10] if last.sent_at else None
        return PriorRun(last.period, document, open_periods, series, sent, recipient)

    def with_deltas(
        self,
        document: Document,
        threshold_percent: Decimal,
        names: Mapping[str, str] | None = None,
        recipient: str | None = None,
    ) -> Document:
        """The document with its "Since last report" section first (``names``: entity names),
        compared with the last report delivered to ``recipient`` (None: to anyone)."""
        prior = self.prior(document.report, document.period, recipient)
        newcomer = (
            prior is None
            and recipient is not None
            and bool(self.delivered_chain(document.report, document.period))
        )
        return with_deltas(document, prior, threshold_percent, names, newcomer)

    def for_recipients(
        self,
        document: Document,
        recipients: Sequence[str],
        threshold_percent: Decimal,
        names: Mapping[str, str] | None = None,
    ) -> list[tuple[Document, tuple[str, ...]]]:
        """The document as each recipient should get it, compared with the last report that
        recipient received; recipients who would get the same document share one (one entry,
        for nobody, when there are no recipients)."""
        if not recipients:
            return [(self.with_deltas(document, threshold_percent, names), ())]
        groups: list[tuple[Document, list[str]]] = []
        for recipient in dict.fromkeys(recipients):
            variant = self.with_deltas(document, threshold_percent, names, recipient)
            same = next((group for group in groups if group[0] == variant), None)
            if same is None:
                groups.append((variant, [recipient]))
            else:
                same[1].append(recipient)
        return [(variant, tuple(people)) for variant, people in groups]

    def sent_documents(self) -> list[StoredDocument]:
        """Per (period, report), the stored document its readers received (the latest run that
        delivered it), periods in date order."""
        stored = [
            StoredDocument(
                row.run_id,
                row.period,
                row.report,
                Document.from_dict(json.loads(row.document_json)),
            )
            for row in self.tables.delivered_documents()
        ]
        return sorted(stored, key=lambda s: (period_sort_key(s.period), s.report))

    def period_summary(self, period: str) -> dict[str, Any]:
        """What the runs of one period saw and built: snapshot summaries, documents, findings,
        and the figures each report stated (value as JSON and as a delta line writes it).
        ``delivered_runs`` maps each report to the run whose document its readers received; a
        snapshot or document is marked ``delivered`` when its run is such a run."""
        rows = self.tables.period_rows(period)
        delivered = self.tables.delivered_runs(period)
        sending = set(delivered.values())
        snapshots = [
            {
                "run_id": row["run_id"],
                "delivered": row["run_id"] in sending,
                **json.loads(row["summary"]),
            }
            for row in rows["snapshots"]
        ]
        documents = [
            {
                "run_id": row["run_id"],
                "report": row["report"],
                "as_of": row["as_of"],
                "sha256": row["content_sha256"],
                "delivered": delivered.get(row["report"]) == row["run_id"],
            }
            for row in rows["documents"]
        ]
        figures = [
            {
                "run_id": row["run_id"],
                "report": row["report"],
                "metric": row["metric_id"],
                "entity": row["entity"],
                "label": row["label"],
                "value": json.loads(row["value"]),
                "text": describe(from_jsonable(json.loads(row["value"]), MetricValue), row["unit"]),
                "number": row["number"],
                "unit": row["unit"],
            }
            for row in rows["figures"]
        ]
        return {
            "period": period,
            "delivered_runs": delivered,
            "snapshots": snapshots,
            "documents": documents,
            "findings": rows["findings"],
            "figures": figures,
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
                metric.unit,
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


def _compressed_json(snapshot: Snapshot) -> bytes:
    """``zlib.compress(json.dumps(snapshot.to_dict()).encode(), 6)``, encoded and compressed as it
    is written (``write_json``): a snapshot of millions of ledger lines is never one JSON tree or
    one string in memory."""
    compressor = zlib.compressobj(6)
    chunks: list[bytes] = []
    write_json(
        snapshot,
        lambda text: chunks.append(compressor.compress(text.encode())),
        indent=None,
        ensure_ascii=True,
    )
    chunks.append(compressor.flush())
    return b"".join(chunks)
