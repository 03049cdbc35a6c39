"""The CMO report on the bundled example portfolio: every planted gap found at its page or rows,
the email model's figures consistent with its stated assumptions, and the 30/60/90-day plan."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from execbrief import pipeline
from execbrief.analysis.marketing import MarketingResult
from execbrief.config import load_config
from execbrief.document import ActionPlan, Chart, Document, Table
from execbrief.findings import CostTier
from execbrief.plugins import get_registry
from execbrief.records.subscribers import SubscriberCounts

AS_OF = date(2026, 11, 20)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[MarketingResult, Document, Path]:
    from execbrief.examples import copy_example

    root = copy_example(tmp_path_factory.mktemp("cmo") / "harbor")
    registry = get_registry()
    config = load_config(root / "portfolio.toml", registry.option_models())
    snapshot = pipeline.collect(config, registry, AS_OF, key=b"test-key")
    ctx = pipeline.context(snapshot, config, registry)
    [report] = pipeline.build(ctx, registry, ["cmo"])
    assert report.error is None and report.document is not None
    result = ctx.typed("marketing", MarketingResult)
    subscribers = snapshot.records(SubscriberCounts, "harbor-charters")
    assert subscribers, "the example's subscriber export was not read"
    return result, report.document, root


def _finding(result: MarketingResult, finding_id: str) -> list[str]:
    [finding] = [f for f in result.findings if f.id == finding_id]
    return [p.cite() for p in finding.provenance]


def _line(root: Path, rel: str, needle: str) -> int:
    lines = (root / rel).read_text(encoding="utf-8").splitlines()
    return next(i for i, text in enumerate(lines, start=1) if needle in text)


def test_planted_site_gaps_found_at_their_pages(
    built: tuple[MarketingResult, Document, Path],
) -> None:
    result, _document, root = built
    hc = "sites/harbor-charters"
    assert _finding(result, "marketing.seo.analytics_missing:clean-sweep:sites/clean-sweep") == [
        "sites/clean-sweep/index.html:2"
    ]
    org = _line(root, "sites/tidewater-labs/index.html", "application/ld+json")  # Organization only
    assert _finding(
        result, "marketing.seo.localbusiness_missing:tidewater-labs:sites/tidewater-labs"
    ) == [f"sites/tidewater-labs/index.html:{org}"]
    assert _finding(result, "marketing.no_booking_widget:sunset-sails") == [
        "sites/sunset-sails/index.html:2"
    ]
    assert _finding(result, "marketing.seo.sitemap_missing:sunset-sails:sites/sunset-sails") == [
        "sites/sunset-sails"
    ]
    about = _line(root, f"{hc}/about.html", "http://porthaven-marine")
    assert _finding(
        result,
        "marketing.seo.http_link:harbor-charters:about.html:http://porthaven-marine.example/members",
    ) == [f"{hc}/about.html:{about}"]
    gallery = _line(root, f"{hc}/contact.html", "gallery.html")
    assert _finding(
        result, "marketing.seo.broken_link:harbor-charters:contact.html:gallery.html"
    ) == [f"{hc}/contact.html:{gallery}"]
    phone = _line(root, f"{hc}/contact.html", "555-010-4401")
    assert _finding(result, f"marketing.seo.nap_phone:harbor-charters:{hc}") == [
        f"{hc}/contact.html:{phone}"
    ]
    bad = _line(root, "sites/blue-passage/index.html", "application/ld+json")
    assert _finding(result, "marketing.seo.jsonld_invalid:blue-passage:index.html:1") == [
        f"sites/blue-passage/index.html:{bad}"
    ]
    # a platform is not a local business; a complete site has no SEO gap
    ids = {f.id for f in result.findings}
    assert not any(i.startswith("marketing.seo.localbusiness_missing:crewboard") for i in ids)
    assert not any(i.startswith("marketing.seo.") and ":dockside-loft:" in i for i in ids)


def test_ota_shortfall_and_matrix(built: tuple[MarketingResult, Document, Path]) -> None:
    result, _document, root = built
    line = _line(root, "handoffs/sunset-sails.md", "**OTA listings:**")
    assert _finding(result, "marketing.no_ota:sunset-sails") == [f"handoffs/sunset-sails.md:{line}"]
    [shortfall] = [f for f in result.findings if f.id == "marketing.no_ota:sunset-sails"]
    assert shortfall.shortfall and "marketing" in shortfall.tags
    for channel in ("getmyboat", "sailo", "viator", "getyourguide"):
        cell = result.cell("sunset-sails", channel)
        assert cell is not None and cell.listed is False and cell.bookings == 0
    # harbor-charters: OTAs seen in its bookings, no OTA link on its own site
    gmb = result.cell("harbor-charters", "getmyboat")
    assert gmb is not None and gmb.listed is True and "bookings" in gmb.evidence
    assert "site link" not in gmb.evidence
    instagram = result.cell("harbor-charters", "instagram")
    assert instagram is not None and instagram.evidence == (
        "config: https://www.instagram.com/harborcharters.example",
        "site link",
    )
    # sunset-sails' OTA order: GetMyBoat first (lowest commission at full fit)
    order = [s.ota for s in result.otas if s.entity == "sunset-sails"]
    assert order[0] == "getmyboat" and set(order) >= {"sailo", "viator", "getyourguide"}


def test_funnel_break_found_at_its_rows(built: tuple[MarketingResult, Document, Path]) -> None:
    result, _document, root = built
    [brk] = [b for b in result.breaks if b.entity == "harbor-charters"]
    assert brk.step == ("quoted", "booked") and brk.months[0] == "2026-09"
    text = (root / "bookings/harbor-charters.csv").read_text(encoding="utf-8").splitlines()
    for booking_id in brk.booking_ids:
        row = next(i for i, line in enumerate(text, start=1) if line.startswith(booking_id + ","))
        assert any(
            p.line is not None and p.line <= row <= (p.end_line or p.line) for p in brk.provenance
        )
        assert text[row - 1].split(",")[1] >= "2026-09-01"
    assert not [b for b in result.breaks if b.entity != "harbor-charters"]


def test_email_model_matches_its_assumptions(built: tuple[MarketingResult, Document, Path]) -> None:
    result, _document, _root = built
    case = next(c for c in result.email if c.entity == "harbor-charters")
    size = Decimal(case.list_size)
    assert case.bookings_low == size * Decimal("0.002")
    assert case.bookings_high == size * Decimal("0.005")
    assert case.revenue.low == (case.average_value * size * Decimal("0.002")).quantize(
        Decimal("0.01")
    )
    assert case.revenue.high == (case.average_value * size * Decimal("0.005")).quantize(
        Decimal("0.01")
    )
    assert f"{case.list_size:,} opted-in subscribers × 35.8% open" in case.arithmetic


def test_report_sections_and_milestones(built: tuple[MarketingResult, Document, Path]) -> None:
    _result, document, _root = built
    assert [s.id for s in document.sections] == [
        "channels",
        "funnel",
        "email",
        "otas",
        "seo",
        "milestones",
    ]
    tables = [b for s in document.sections for b in s.blocks if isinstance(b, Table)]
    assert tables[0].title == "Channel visibility"
    assert any(isinstance(b, Chart) for b in document.sections[1].blocks)
    plans = [b for b in document.sections[-1].blocks if isinstance(b, ActionPlan)]
    assert [p.title for p in plans] == ["First 30 days (zero-cost first)", "By day 60", "By day 90"]
    assert all(a.cost_tier is CostTier.ZERO_COST for a in plans[0].actions)
    assert all(a.due_in_days == 30 for a in plans[0].actions)
    first, second = plans[0].actions[:2]
    assert first.finding_ids[0].startswith("marketing.funnel_break:harbor-charters")
    assert "send one offer email" in second.title
    assert any("list on GetMyBoat" in a.title for a in plans[1].actions)
    assert Document.from_dict(document.to_dict()) == document
    registry = get_registry()
    text = pipeline.render(document, registry, "text")
    assert "quoted → booked stopped converting" in text and "per blast" in text


def test_report_builds_from_an_empty_snapshot(tmp_path: Path) -> None:
    from execbrief.analysis.marketing import MarketingAnalysis, MarketingOptions
    from execbrief.config import OptionModels, config_from_dict
    from execbrief.document import Paragraph
    from execbrief.reports.base import ReportContext
    from execbrief.reports.cmo import CmoReport
    from execbrief.snapshot import EntityInfo, Snapshot
    from execbrief.values import Period

    config = config_from_dict(
        {"portfolio": {"name": "Empty"}, "entities": [{"id": "a", "name": "A", "kind": "charter"}]},
        tmp_path / "portfolio.toml",
        OptionModels(analyses={"marketing": MarketingOptions}),
    )
    snapshot = Snapshot("Empty", "USD", AS_OF, (EntityInfo("a", "A", "charter"),))
    ctx = ReportContext(
        snapshot, config, Period.containing(AS_OF), {"marketing": MarketingAnalysis()}
    )
    document = CmoReport().build(ctx)
    texts = [b.text for s in document.sections for b in s.blocks if isinstance(b, Paragraph)]
    assert "No booking data: the funnel needs a bookings source." in texts
    assert "No email list found (no subscriber export or list size in the notes)." in texts
    # no listing found anywhere is a shortfall for a charter, shown with the OTA order
    [gap] = [f for f in document.findings() if f.rule == "marketing.no_ota"]
    assert gap.entity == "a" and "No marketplace listing found" in gap.evidence
