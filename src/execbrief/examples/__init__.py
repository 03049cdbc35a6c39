"""The bundled example portfolio, "Harbor Holdings", and copying it out for ``execbrief demo``."""

from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path

from execbrief.errors import ConfigError

EXAMPLE = "harbor"


def example_root() -> Path:
    """The folder of the bundled example portfolio inside the installed package."""
    root = resources.files("execbrief.examples").joinpath(EXAMPLE)
    return Path(str(root))


def copy_example(target: Path) -> Path:
    """Copy the example portfolio to ``target`` (created); refuse to overwrite other files."""
    source = example_root()
    if target.exists() and any(target.iterdir()):
        marker = target / "portfolio.toml"
        if not marker.is_file():
            raise ConfigError(
                f"{target} exists and is not an execbrief demo folder; pass --out to an empty folder"
            )
        # refresh the portfolio files but keep the store and outbox so re-runs stay idempotent
    for item in sorted(source.rglob("*")):
        if "__pycache__" in item.parts:
            continue
        relative = item.relative_to(source)
        destination = target / relative
        if item.is_dir():
            destination.mkdir(parents=True, exist_ok=True)
        else:
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(item, destination)
    return target
