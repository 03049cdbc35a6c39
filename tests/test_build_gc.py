"""The cycle collector waits while the reports are built (issue 18): the snapshot and the analyses'
results hold no cycles, and every full collection rescanned all of them (a third of the build at
1,000 entities). It runs again once the build ends."""

from __future__ import annotations

import gc
from datetime import UTC, date, datetime
from pathlib import Path

from execbrief.config import load_config
from execbrief.document import Document
from execbrief.pipeline import build, build_reports, collect, context
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


def test_a_run_freezes_what_its_build_made_until_it_ends(example_portfolio: Path) -> None:
    """The documents and the analyses' results live to the end of the run: the collections after
    the build must not scan them again (gen 0 then gen 1, 1.9 s at 1,000 entities). When the
    run ends they are let go, so that a long-lived process frees a finished run's cycles."""
    registry = get_registry()
    config = load_config(example_portfolio, registry.option_models())
    seen: list[tuple[bool, bool]] = []

    class Probe:
        name, extension, media_type = "probe", "txt", "text/plain"

        def render(self, document: Document) -> str:
            everywhere = gc.get_objects()  # every generation's objects, not the frozen ones
            seen.append((gc.is_tracked(document), any(o is document for o in everywhere)))
            return document.report

    gc.unfreeze()  # what an earlier test may have left frozen (the run lets go only its own)
    run = build_reports(
        config,
        registry,
        as_of=date(2026, 11, 20),
        clock=lambda: datetime.now(UTC),
        names=["cfo", "ceo"],
        renderer=Probe(),
    )
    assert run.texts == ["cfo", "ceo"]
    assert seen == [(True, False), (True, False)]  # tracked, yet in no generation: frozen
    assert gc.get_freeze_count() == 0


def test_packing_sets_off_no_collection_but_the_youngest_after() -> None:
    """Pickling a big value makes no cycles; collections its allocations would set off rescan the
    whole process (5.1 s of pickling built reports at 1,000 entities, most of it those). Unpaused
    this value's pickling set off 68 collections, two of them of the older generations; paused,
    at most one collection follows, when the collector runs again."""
    from execbrief.snapshot import Provenance
    from execbrief.store.sourcecache import pack, unpack

    value = [Provenance(f"notes/{index}.md", index) for index in range(50_000)]
    collections: list[int] = []

    def heard(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            collections.append(info["generation"])

    gc.callbacks.append(heard)
    try:
        blob = pack(value)
    finally:
        gc.callbacks.remove(heard)
    assert len(collections) <= 1
    assert unpack(blob) == value
