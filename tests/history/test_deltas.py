""" "Since last report": three runs with known changes give exactly the expected lines."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

from execbrief.document import (
    Brief,
    BulletList,
    Chart,
    Document,
    Findings,
    KeyFigure,
    Metrics,
    Section,
)
from execbrief.findings import Finding, Metric, Severity
from execbrief.history.deltas import (
    SECTION_ID,
    comparable_metrics,
    figure_change,
    figure_moves,
    moved,
)
from execbrief.history.runs import History, period_sort_key
from execbrief.snapshot import EntityInfo, Provenance, Snapshot
from execbrief.store.db import DeliveryKey, Store
from execbrief.values import Cadence, Money, MoneyRange, Percent

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


def run(history: History, store: Store, document: Document, *, deliver: bool = True) -> Document:
    """Store a run of ``document`` and, unless ``deliver`` is False, deliver it to the CFO."""
    run_id = store.start_run("send", as_of=document.as_of.isoformat(), period=document.period)
    with_deltas = history.with_deltas(document, Decimal(10))
    history.record(run_id, document.period, snapshot(document.as_of.isoformat()[:7]), [with_deltas])
    if deliver:
        key = DeliveryKey(document.report, document.period, "cfo@harbor.example")
        claim = store.claim(key, run_id=run_id, transport="memory", content_sha256="x")
        store.complete(claim.delivery.id, f"<{run_id}@test>")
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
            "Compared with the CFO report for September 2026, as of 2026-09-20, sent 2026-11-20.",
            "Net burn (harbor): up $1.3K (18%) ($7K → $8.3K)",  # the brief rounds
            "Runway (harbor): down 2 months (8 months → 6 months)",
            "Resolved: [HIGH] No WAF on CloudFront (harbor)",
        ]


def test_a_figure_only_one_report_states_reads_not_stated_for_every_kind() -> None:
    """Money, percent, count, range and text: "not stated → X" and "X → not stated" for a value
    a report holds as None, never "None"; a figure the old report did not carry at all (the
    first forecast error) is a first figure, one the new report no longer carries says so."""
    values = {
        "money": (Money(8000), None, "$8,000"),
        "percent": (Percent(Decimal(5)), None, "5%"),
        "count": (Decimal(3), "leads", "3 leads"),
        "range": (MoneyRange(Money(7000), Money(9000), Cadence.MONTH), None, "$7,000–9,000/mo"),
        "text": ("10% to Jordan", None, "10% to Jordan"),
    }
    for kind, (value, unit, shown) in values.items():
        stated = Metric(f"x.{kind}", "Figure", value, "harbor", unit=unit)
        blank = replace(stated, value=None)
        assert moved(blank, stated, Decimal(10)) == f"Figure (harbor): not stated → {shown}"
        assert moved(None, stated, Decimal(10)) == f"Figure (harbor): first stated: {shown}"
        assert moved(stated, blank, Decimal(10)) == f"Figure (harbor): {shown} → not stated"
        assert moved(stated, None, Decimal(10)) == f"Figure (harbor): {shown}, no longer stated"
        assert moved(blank, blank, Decimal(10)) is None
        assert "None" not in figure_change(blank, KeyFigure(stated))
        assert figure_change(stated, KeyFigure(blank)) == f"was {shown}"


def test_point_in_time_figures_and_key_figures_are_compared() -> None:
    """Cash stamped with the as-of date (how an older finance analysis wrote it) and a key figure
    that sits in no table are both among the figures a report is compared on."""
    document = doc("2026-10", 7000, 8, 4100, [])
    cash = Metric("finance.cash", "Cash", Money(12000), None, "2026-10-20")
    pipeline = Metric("briefing.pipeline", "Pipeline", Decimal(3), "tern", unit="leads")
    other_day = Metric("finance.cash", "Cash", Money(1), "harbor", "2026-09-30")
    document = replace(
        document,
        sections=(*document.sections, Section("Cash", (Metrics((cash, other_day)),))),
        brief=Brief(figures=(KeyFigure(pipeline),)),
    )
    keys = comparable_metrics(document)
    assert keys["finance.cash@*"] == cash
    assert keys["briefing.pipeline@tern"] == pipeline
    assert "finance.cash@harbor" not in keys  # a balance of another day is no figure of this run


def test_a_new_business_is_not_a_list_of_figures_from_nothing() -> None:
    before = {"a@harbor": Metric("a", "A", Money(1), "harbor")}
    now = {**before, "a@tern": Metric("a", "A", Money(5), "tern")}
    assert figure_moves(before, now, Decimal(10)) == []


def test_months_compare_with_months_and_quarters_with_quarters(tmp_path: Path) -> None:
    """Periods are ordered by their dates: a quarter ("2026-Q3") is never a month's basis, and a
    quarter is compared with the previous quarter, not the latest month."""
    with Store(tmp_path / "s.db", clock=lambda: datetime(2026, 11, 20, tzinfo=UTC)) as store:
        history = History(store)
        run(history, store, doc("2026-08", 7000, 8, 4100, []))
        run(history, store, replace(doc("2026-09", 7000, 8, 4100, []), period="2026-Q2"))
        run(history, store, doc("2026-09", 9000, 8, 4100, []))
        current = doc("2026-10", 9000, 8, 4100, [])
        prior = history.prior("cfo", "2026-10")
        assert prior is not None and prior.period == "2026-09"
        assert [row.period for row in history.delivered_chain("cfo", "2026-10")] == [
            "2026-08",
            "2026-09",
        ]
        quarter = history.prior("cfo", "2026-Q4")
        assert quarter is not None and quarter.period == "2026-Q2"
        assert history.prior("cfo", "2026-Q2") is None
        assert (
            history.with_deltas(current, Decimal(10))
            .sections[0]
            .blocks[0]
            .text.startswith(  # type: ignore[union-attr]
                "Compared with the CFO report for September 2026, as of 2026-09-20, the last one"
                " delivered to its recipients (sent 2026-11-20)"
            )
        )
    assert sorted(["2026-Q4", "2026-12", "2026-10", "2026-Q3", "2025-12"], key=period_sort_key) == [
        "2025-12",
        "2026-Q3",
        "2026-10",
        "2026-Q4",
        "2026-12",
    ]


def test_an_undelivered_run_is_no_basis(tmp_path: Path) -> None:
    """A run whose deliveries did not happen (gated, or skipped as sent already) leaves the basis
    on the report its reader received."""
    with Store(tmp_path / "s.db", clock=lambda: datetime(2026, 11, 20, tzinfo=UTC)) as store:
        history = History(store)
        run(history, store, doc("2026-09", 7000, 8, 4100, []))
        run(history, store, doc("2026-10", 8000, 8, 4100, []))
        # a re-run of October: its delivery row stays with the run that sent it
        run(history, store, doc("2026-10", 9900, 8, 4100, []), deliver=False)
        prior = history.prior("cfo", "2026-11", "cfo@harbor.example")
        assert prior is not None and prior.document.metrics()[0].value == Money(8000)
        assert history.prior("cfo", "2026-11", "someone@else.example") is None
        assert [d.document.metrics()[0].value for d in history.sent_documents()] == [
            Money(7000),
            Money(8000),
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
