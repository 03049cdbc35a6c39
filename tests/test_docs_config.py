"""The portfolio.toml reference in docs/formats.md validates against the real option models, and
every key of the models it documents is mentioned there."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from execbrief.config import (
    DeliverySection,
    Entity,
    PortfolioSection,
    ReportSettings,
    config_from_dict,
)
from execbrief.plugins import get_registry

DOCS = Path(__file__).parents[1] / "docs" / "formats.md"


def reference_block() -> str:
    text = DOCS.read_text()
    section = text[text.index("## portfolio.toml") :]
    match = re.search(r"```toml\n(.*?)```", section, re.S)
    assert match, "docs/formats.md has a toml example under '## portfolio.toml'"
    return match.group(1)


def test_reference_example_validates(tmp_path: Path) -> None:
    raw = tomllib.loads(reference_block())
    registry = get_registry()
    config = config_from_dict(raw, tmp_path / "portfolio.toml", registry.option_models(), {})
    entity = config.entities[0]
    assert set(entity.sources) >= {"handoff", "ledger", "bookings"}


def test_reference_mentions_every_core_key() -> None:
    block = reference_block()
    for model in (PortfolioSection, DeliverySection, ReportSettings, Entity):
        for name in model.model_fields:
            if name in ("notes",):
                continue
            assert (
                re.search(rf"^\s*{name}\s*=|[{{,]\s*{name}\s*=|^{name}\.", block, re.M)
                or f"{name}." in block
            ), f"{model.__name__}.{name} is not shown in the docs/formats.md reference"
