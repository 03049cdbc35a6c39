"""The document model: lossless JSON round trip and provenance collection."""

from __future__ import annotations

import json

from execbrief.document import Document
from execbrief.snapshot import Provenance


def test_json_round_trip_is_lossless(document: Document) -> None:
    data = json.loads(json.dumps(document.to_dict()))
    assert Document.from_dict(data) == document


def test_provenance_in_order_without_repeats(document: Document) -> None:
    cited = document.provenance()
    assert cited[0] == Provenance("ledgers/clean.csv", 3)  # warnings first
    assert cited.count(Provenance("handoffs/harbor.md", 12)) == 1
    assert any(item.commit == "0123456789abcdef" for item in cited)


def test_findings_and_metrics_are_listed(document: Document) -> None:
    assert [f.id for f in document.findings()] == ["briefing.empty_pipeline:tidewater"]
    assert document.metrics()[0].id == "burn"
