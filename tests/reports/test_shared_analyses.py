"""Every analysis runs once per run and is shared by every report (issue 18): an analysis that
builds on another (forecast and accounting on finance) is handed the run's result, not
computing its own; a result's lookups answer as a scan of its tuples would."""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Callable
from datetime import date
from pathlib import Path
from types import CodeType, FrameType

from execbrief.config import load_config
from execbrief.findings import AnalysisResult, Metric
from execbrief.pipeline import Built, build, collect, context, report_names
from execbrief.plugins import get_registry

AS_OF = date(2026, 11, 20)


def code_calls(run: Callable[[], object]) -> Counter[CodeType]:
    """How many times each function was entered while ``run`` ran (the interpreter's own
    profiling hook: the real analyses run, nothing is replaced)."""
    calls: Counter[CodeType] = Counter()

    def hook(frame: FrameType, event: str, _arg: object) -> None:
        if event == "call":
            calls[frame.f_code] += 1

    sys.setprofile(hook)
    try:
        run()
    finally:
        sys.setprofile(None)
    return calls


def test_every_report_of_a_run_shares_one_run_of_each_analysis(example_portfolio: Path) -> None:
    from execbrief.analysis.finance import plugin as finance_plugin

    registry = get_registry()
    config = load_config(example_portfolio, registry.option_models())
    snapshot = collect(config, registry, AS_OF)
    ctx = context(snapshot, config, registry)
    built: list[Built] = []
    calls = code_calls(lambda: built.extend(build(ctx, registry, report_names(config, registry))))
    assert len(built) == 8 and all(item.document is not None for item in built)
    runs = {name: calls[type(a).analyze.__code__] for name, a in registry.analyses.items()}
    assert runs == dict.fromkeys(registry.analyses, 1)
    # finance's own function too: forecast and accounting are handed its result
    assert calls[finance_plugin.analyze.__code__] == 1


def test_forecast_from_the_runs_finance_equals_its_own(example_portfolio: Path) -> None:
    from execbrief.analysis import finance, forecast

    registry = get_registry()
    config = load_config(example_portfolio, registry.option_models())
    snapshot = collect(config, registry, AS_OF)
    shared = forecast.analyze(snapshot, config, finance.analyze(snapshot, config))
    assert shared == forecast.analyze(snapshot, config)
    assert shared.entities  # the demo's entities with a cash balance have a forecast


def test_metric_lookup_is_the_first_match_in_order() -> None:
    metrics = (
        Metric("a", "A", 1, None, None),
        Metric("a", "A", 2, "x", "2026-10"),
        Metric("a", "A", 3, "x", "2026-11"),
        Metric("b", "B", 4, "y", None),
        Metric("a", "A", 5, "y", "2026-11"),
    )
    result = AnalysisResult("test", metrics=metrics)

    def scan(metric_id: str, entity: str | None, period: str | None) -> Metric | None:
        return next(
            (
                m
                for m in metrics
                if m.id == metric_id
                and (entity is None or m.entity == entity)
                and (period is None or m.period == period)
            ),
            None,
        )

    for metric_id in ("a", "b", "c"):
        for entity in (None, "x", "y", "z"):
            for period in (None, "2026-10", "2026-11", "2026-12"):
                assert result.metric(metric_id, entity, period) == scan(metric_id, entity, period)
