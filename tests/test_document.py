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


def test_the_brief_layer_keeps_its_budgets_and_cites_only_its_own(document: Document) -> None:
    from dataclasses import replace

    from execbrief.document import (
        BRIEF_ACTIONS,
        BRIEF_FIGURES,
        BRIEF_SUMMARY,
        ActionPlan,
        Bullet,
        Metrics,
        Section,
        brief_document,
    )
    from execbrief.findings import Action, Metric
    from execbrief.values import Money

    cite = [Provenance(f"notes/{n}.md", n) for n in range(1, 30)]
    actions = tuple(
        Action(f"Fix thing {n % 7}.", f"Why {n}. More detail.", 7, f"e{n}", provenance=(cite[n],))
        for n in range(14)
    )
    metrics = tuple(Metric(f"m{n}", f"Figure {n}", Money(1000 * n + 49)) for n in range(15))
    big = replace(
        document,
        summary=tuple(Bullet(f"Point {n}.", (cite[20],)) for n in range(12)),
        sections=(
            *document.sections,
            Section("Plan", (ActionPlan(actions), Metrics(metrics))),
        ),
    )
    brief = brief_document(big, "The full report is attached: cfo-2026-11.html.")
    assert len(brief.summary) == BRIEF_SUMMARY
    [plan] = [b for s in brief.sections for b in s.blocks if isinstance(b, ActionPlan)]
    # seven distinct fixes, merged by title: each one action listing every place it covers
    assert len(plan.actions) == BRIEF_ACTIONS
    fix = next(a for a in plan.actions if a.title == "Fix thing 0.")
    assert fix.entity == "e0, e7" and fix.provenance == (cite[0], cite[7])
    assert fix.rationale == "Why 0."  # the first sentence; the rest is in the full report
    [figures] = [b for s in brief.sections for b in s.blocks if isinstance(b, Metrics)]
    assert len(figures.metrics) == BRIEF_FIGURES
    assert brief.sections[-1].blocks[0].text.endswith("cfo-2026-11.html.")  # type: ignore[union-attr]
    assert brief.meta["layer"] == "brief"
    # only what the brief shows is cited
    assert set(brief.provenance()) <= set(big.provenance())
    assert cite[13] not in brief.provenance()
