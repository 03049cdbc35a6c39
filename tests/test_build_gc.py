"""The cycle collector waits while the reports are built (issue 18): the snapshot and the analyses'
results hold no cycles, and every full collection rescanned all of them (a third of the build at
1,000 entities). It runs again once the build ends."""

from __future__ import annotations

import gc
from datetime import date
from pathlib import Path

from execbrief.config import load_config
from execbrief.pipeline import build, collect, context
from execbrief.plugins import get_registry


def test_reports_build_with_the_cycle_collector_paused(example_portfolio: Path) -> None:
    registry = get_registry()
    config = load_config(example_portfolio, registry.option_models())
    ctx = context(collect(config, registry, date(2026, 11, 20)), config, registry)
    seen: list[tuple[str, bool]] = []
    built = build(ctx, registry, ["cfo", "ceo"], lambda s: seen.append((s, gc.isenabled())))
    assert seen == [("building cfo", False), ("building ceo", False)]
    assert all(b.document is not None for b in built)
    assert gc.isenabled()
