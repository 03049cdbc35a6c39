"""A report plugin written by a reviewer from README.md and docs/plugins.md alone (issue 11's
outside check), kept as it was written, with the figures the reviewer worked out by hand from the
demo's ledgers and docs/metrics.md: runway over the window 2026-08..10, as of 2026-11-20.

Harbor Charters: cash 31,400.00; monthly net burn -7,863.15 / 170.80 / 2,847.89, so the lowest
month did not burn and the runway is "11.03+ months". Sunset Sail Co.: cash 8,950.00; net burn
1,907.60 / 3,273.00 / 2,501.30, so 8,950 / 3,273.00 = 2.73 to 8,950 / 1,907.60 = 4.69 months.
"""

from __future__ import annotations

import types
from datetime import UTC, datetime
from pathlib import Path

from execbrief import BaseReport, Document, Report, ReportContext, Row, Section, Table, hookimpl
from execbrief.analysis.finance import FinanceResult
from execbrief.config import load_config
from execbrief.pipeline import build_reports, render
from execbrief.plugins import get_registry


class WeatherReport(BaseReport):
    name = "weather"
    title = "Weather report"
    audience = "the skipper"

    def build(self, ctx: ReportContext) -> Document:
        fin = ctx.typed("finance", FinanceResult)
        rows = tuple(Row((e.name, fin.for_entity(e.id).runway.text)) for e in ctx.snapshot.entities)
        outlook = Section("Outlook", (Table(("Entity", "Runway"), rows),))
        return self.document(ctx, sections=(outlook,))


@hookimpl
def register_reports() -> list[Report]:
    return [WeatherReport()]


def test_the_reviewers_plugin_builds_and_its_hand_worked_runways_hold(
    example_portfolio: Path,
) -> None:
    example_portfolio.write_text(
        example_portfolio.read_text() + '\n[reports.weather]\nto = ["skipper@harbor.example"]\n'
    )
    plugin = types.SimpleNamespace(register_reports=register_reports)
    registry = get_registry([plugin])
    assert "weather" in registry.reports
    config = load_config(example_portfolio, registry.option_models())
    run = build_reports(
        config,
        registry,
        as_of=config.portfolio.as_of or datetime.now(UTC).date(),
        clock=lambda: datetime(2026, 11, 20, tzinfo=UTC),
        names=["weather"],
    )
    assert run.errors == []
    (document,) = run.documents
    text = render(document, registry, "html")
    assert "Harbor Charters" in text and "11.03+ months" in text
    assert "Sunset Sail Co." in text and "2.73–4.69 months" in text
