""" "Since last report": three runs with known changes give exactly the expected lines."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

from execbrief.document import BulletList, Chart, Document, Findings, Metrics, Section
from execbrief.findings import Finding, Metric, Severity
from execbrief.history.deltas import SECTION_ID
from execbrief.history.runs import History
from execbrief.snapshot import EntityInfo, Provenance, Snapshot
from execbrief.store.db import Store
from execbrief.values import Cadence, Money, MoneyRange

NOTE = Provenance("handoffs/harbor.md", 3)


def finding(fid: str, title: str, severity: Severity = Severity.HIGH) -> Finding:
    return Finding(
        fid, fid.split(":")[0], title, severity, "harbor", "evidence", "fix", provenance=(NOTE,)
    )


def doc(period: str, burn: int, runway: int, unbilled: int, findings: list[Finding]) -> Document:
    metrics = (
        Metric("finance.burn.net", "Net burn", Money(burn), "harbor", provenance=(NOTE,)),
        Metric("finance.runway", "Runway", Decimal(runway), "harbor", unit="months"),
        Metric("billing.unbilled", "Unbilled work", Money(unbilled), "tidewater"),
        Metric(
            "finance.burn.range",
            "Burn range",
            MoneyRange(Money(7000), Money(9000), Cadence.MONTH),
            "harbor",
        ),
        Metric("finance.burn.net", "Net burn (old month)", Money(1), "harbor", period="2020-01"),
    )
    return Document(
        report="cfo",
        title="CFO report",
        audience="the CFO",
        period=period,
        as_of=date.fromisoformat(period + "-20"),
        portfolio="Harbor Holdings",
        sections=(Section("Figures", (Metrics(metrics), Findings(tuple(findings)))),),
    )


def snapshot(period: str) -> Snapshot:
    return Snapshot(
        "Harbor Holdings",
        "USD",
        date.fromisoformat(period + "-20"),
        (EntityInfo("harbor", "Harbor", "charter"),),
    )


def lines(document: Document) -> dict[str, list[str]]:
    section = document.sections[0]
    assert section.id == SECTION_ID and section.title == "Since last report"
    return {
        b.title or "": [item.text for item in b.items]
        for b in section.blocks
        if isinstance(b, BulletList)
    }


def run(history: History, store: Store, document: Document) -> Document:
    run_id = store.start_run("send", as_of=document.as_of.isoformat(), period=document.period)
    with_deltas = history.with_deltas(document, Decimal(10))
    history.record(run_id, document.period, snapshot(document.period), [with_deltas])
    store.finish_run(run_id, "ok")
    return with_deltas


def test_three_runs(tmp_path: Path) -> None:
    empty = finding("briefing.empty_pipeline:tidewater", "Pipeline is empty", Severity.CRITICAL)
    waf = finding("security.no_waf:harbor", "No WAF on CloudFront")
    misc = finding("accounting.misc:harbor", "Misc spending above $1,000", Severity.MEDIUM)
    with Store(tmp_path / "s.db", clock=lambda: datetime(2026, 11, 20, tzinfo=UTC)) as store:
        history = History(store)
        first = run(history, store, doc("2026-09", 7000, 8, 4100, [empty, waf]))
        assert "first report" in first.sections[0].blocks[0].text  # type: ignore[union-attr]

        second = run(history, store, doc("2026-10", 8260, 6, 4300, [empty, misc]))
        assert lines(second) == {
            "Figures that moved": [
                "Net burn (harbor): up $1,260 (18%) ($7,000 → $8,260)",
                "Runway (harbor): down 2 months (8 months → 6 months)",
            ],
            "New findings": ["[MEDIUM] Misc spending above $1,000 (harbor)"],
            "Still open": ["[CRITICAL] Pipeline is empty (harbor) — open 2 reports running"],
            "Resolved": ["[HIGH] No WAF on CloudFront (harbor)"],
        }

        # a re-run of October replaces October's document; November compares with it
        third = run(history, store, doc("2026-11", 8260, 6, 8400, [empty]))
        assert lines(third) == {
            "Figures that moved": ["Unbilled work (tidewater): up $4,100 (95%) ($4,300 → $8,400)"],
            "New findings": ["No new findings."],
            "Still open": ["[CRITICAL] Pipeline is empty (harbor) — open 3 reports running"],
            "Resolved": ["[MEDIUM] Misc spending above $1,000 (harbor)"],
        }
        charts = [b for b in third.sections[0].blocks if isinstance(b, Chart)]
        assert charts and all(len(c.series[0].points) == 3 for c in charts)
        assert {c.title for c in charts} >= {
            "Trend: Net burn (harbor)",
            "Trend: Unbilled work (tidewater)",
        }

        summary = history.period_summary("2026-10")
        assert [d["report"] for d in summary["documents"]] == ["cfo"]
        assert {f["finding_id"] for f in summary["findings"]} == {empty.id, misc.id}
        assert history.snapshot(summary["snapshots"][0]["run_id"]) == snapshot("2026-10")


def test_same_history_gives_same_section(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db", clock=lambda: datetime(2026, 11, 20, tzinfo=UTC)) as store:
        history = History(store)
        run(history, store, doc("2026-10", 7000, 8, 4100, []))
        current = doc("2026-11", 9000, 5, 4100, [])
        assert history.with_deltas(current, Decimal(10)) == history.with_deltas(
            current, Decimal(10)
        )
        # applying twice keeps one section
        twice = history.with_deltas(history.with_deltas(current, Decimal(10)), Decimal(10))
        assert [s.id for s in twice.sections].count(SECTION_ID) == 1


def test_small_moves_stay_below_threshold(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db", clock=lambda: datetime(2026, 11, 20, tzinfo=UTC)) as store:
        history = History(store)
        run(history, store, doc("2026-10", 7000, 8, 4100, []))
        current = run(history, store, replace(doc("2026-11", 7500, 8, 4100, [])))
        assert lines(current)["Figures that moved"] == ["No figure moved beyond the threshold."]


def test_the_brief_is_told_what_changed(tmp_path: Path) -> None:
    """Each key figure carries its change since the last report, and the brief's change lines
    are the moved figures, then new and resolved findings (not the still-open ones)."""
    empty = finding("briefing.empty_pipeline:tidewater", "Pipeline is empty", Severity.CRITICAL)
    waf = finding("security.no_waf:harbor", "No WAF on CloudFront")
    with Store(tmp_path / "s.db", clock=lambda: datetime(2026, 11, 20, tzinfo=UTC)) as store:
        history = History(store)
        first = run(history, store, doc("2026-09", 7000, 8, 4100, [empty, waf]))
        assert first.brief is not None
        assert [b.text for b in first.brief.changes] == [
            "First report of its kind: there is nothing earlier to compare with."
        ]
        assert {f.change for f in first.brief.figures} == {""}
        second = run(history, store, doc("2026-10", 8260, 6, 4100, [empty]))
        assert second.brief is not None
        changes = {f.metric.label: f.change for f in second.brief.figures}
        assert changes["Net burn"] == "up $1.3K (18%)"  # at the brief's precision
        assert changes["Runway"] == "down 2 months"
        assert changes["Unbilled work"] == "unchanged"
        assert [b.text for b in second.brief.changes] == [
            "Net burn (harbor): up $1,260 (18%) ($7,000 → $8,260)",
            "Runway (harbor): down 2 months (8 months → 6 months)",
            "Resolved: [HIGH] No WAF on CloudFront (harbor)",
        ]


def test_an_accepted_finding_is_left_out_not_resolved(tmp_path: Path) -> None:
    # a finding accepted in [[findings.accept]] leaves the report: "Since last report" must not
    # call it resolved (it is still there, only accepted)
    waf = finding("security.no_waf:harbor", "No WAF on CloudFront")
    fuel = finding("finance.fuel:harbor", "Fuel above plan")
    with Store(tmp_path / "s.db", clock=lambda: datetime(2026, 11, 20, tzinfo=UTC)) as store:
        history = History(store)
        run(history, store, doc("2026-10", 8000, 9, 100, [waf, fuel]))
        accepted = replace(
            doc("2026-11", 8000, 9, 100, []), meta={"accepted": "security.no_waf:harbor"}
        )
        got = lines(run(history, store, accepted))
    assert all("WAF" not in line for line in got["Resolved"])
    assert any("Fuel above plan" in line for line in got["Resolved"])
