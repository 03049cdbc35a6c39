"""The build stage (every analysis and report, rendered as text) grows linearly with the portfolio
(issue 18). Portfolios of 14, 28 and 56 entities replicate the demo as ``bench/scale.py`` does, so
each step adds the same entities; the work is counted as the lines of execbrief code run (exact,
unlike a timing on a shared machine). A linear build doubles its added lines from one step to the
next; a per-entity scan of every entity's findings, metrics or records adds more each step (the
scans this issue removed gave a ratio of 2.02 at these sizes; linear gives 2.00)."""

from __future__ import annotations

import importlib.util
import sys
from datetime import date
from pathlib import Path
from types import FrameType, ModuleType
from typing import Any

import pytest

import execbrief
from execbrief.config import load_config
from execbrief.pipeline import build, collect, context, report_names
from execbrief.plugins import get_registry

PACKAGE = str(Path(execbrief.__file__).parent)


def _bench_scale() -> ModuleType:
    if "bench_scale" in sys.modules:
        return sys.modules["bench_scale"]
    spec = importlib.util.spec_from_file_location(
        "bench_scale", Path(__file__).parents[1] / "bench" / "scale.py"
    )
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    sys.modules["bench_scale"] = bench  # dataclasses look their module up
    spec.loader.exec_module(bench)
    return bench


def build_lines(folder: Path, entities: int) -> int:
    """The lines of execbrief code that building and rendering every report of a replicated
    portfolio of ``entities`` runs (the collect before it is not counted)."""
    config_path = _bench_scale().make_portfolio(folder, entities)
    registry = get_registry()
    config = load_config(config_path, registry.option_models())
    ctx = context(collect(config, registry, date(2026, 11, 20)), config, registry)
    names = report_names(config, registry)
    text = registry.renderers["text"]
    count = 0

    def local(frame: FrameType, event: str, arg: Any) -> Any:
        nonlocal count
        if event == "line":
            count += 1
        return local

    def calls(frame: FrameType, event: str, arg: Any) -> Any:
        return local if frame.f_code.co_filename.startswith(PACKAGE) else None

    sys.settrace(calls)
    try:
        for item in build(ctx, registry, names):
            assert item.document is not None, item.error
            text.render(item.document)
    finally:
        sys.settrace(None)
    return count


@pytest.mark.skipif(sys.gettrace() is not None, reason="a tracer (coverage) is running")
def test_build_stage_work_grows_linearly_with_the_portfolio(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EXECBRIEF_FINGERPRINT_KEY", "0" * 64)
    small, middle, large = (build_lines(tmp_path / str(n), n) for n in (14, 28, 56))
    ratio = (large - middle) / (middle - small)
    assert 1.99 < ratio < 2.01, f"the build's added work grew {ratio:.4f}x for twice the entities"
