"""`build` names its phase: sources as they are read, then each report as it is built (issue 16:
the progress label used to stay on the last source for two thirds of the run)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from execbrief.config import load_config
from execbrief.pipeline import build_reports
from execbrief.plugins import get_registry


def test_build_progress_names_each_source_then_each_report(example_portfolio: Path) -> None:
    registry = get_registry()
    config = load_config(example_portfolio, registry.option_models())
    steps: list[str] = []
    run = build_reports(
        config,
        registry,
        as_of=datetime(2026, 11, 20, tzinfo=UTC).date(),
        clock=lambda: datetime(2026, 11, 20, tzinfo=UTC),
        names=["cfo", "cto"],
        progress=steps.append,
    )
    assert [d.report for d in run.documents] == ["cfo", "cto"]
    sources = sum(len(entity.sources) for entity in config.entities)
    assert len(steps) == sources + 2
    assert steps[-2:] == ["building cfo", "building cto"]
    assert not any(step.startswith("building") for step in steps[:-2])
