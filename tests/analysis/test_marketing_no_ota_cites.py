"""A "no OTA" finding about an absence still cites where the absence was looked for."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from execbrief import pipeline
from execbrief.config import load_config
from execbrief.plugins import get_registry


def test_no_ota_cites_the_sources_checked(tmp_path: Path) -> None:
    (tmp_path / "note.md").write_text("# Osprey\n\n- Cash on hand: $20,000\n")
    config_path = tmp_path / "portfolio.toml"
    config_path.write_text(
        '[portfolio]\nname = "Kestrel"\n'
        '[[entities]]\nid = "osprey"\nname = "Osprey"\nkind = "charter"\nhandoff = "note.md"\n'
    )
    registry = get_registry()
    config = load_config(config_path, registry.option_models(), {})
    snapshot = pipeline.collect(config, registry, date(2026, 11, 20), key=b"k" * 32)
    ctx = pipeline.context(snapshot, config, registry)
    (finding,) = [f for f in ctx.analysis("marketing").findings if f.rule == "marketing.no_ota"]
    assert [p.source for p in finding.provenance] == ["note.md"]
