"""``execbrief init``: walk a folder, recognise its sources, group them into entities and write a
commented ``portfolio.toml`` that ``execbrief check`` accepts (``recognise`` walks and tells,
``entities`` groups, ``writer`` writes). It never overwrites a file."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from execbrief.errors import ConfigError
from execbrief.scaffold.entities import Grouped, group
from execbrief.scaffold.recognise import walk
from execbrief.scaffold.writer import HEADER, render

CONFIG_NAME = "portfolio.toml"


@dataclass
class Initialised:
    """What init wrote: the file, the entities and sources it found, and what it skipped."""

    path: Path
    grouped: Grouped
    skipped: list[str]

    def guesses(self) -> int:
        """How many lines carry a guess to check: those marked GUESS, not the header comment
        that tells the reader to check them."""
        lines = self.path.read_text(encoding="utf-8").splitlines()
        return sum(1 for line in lines if "GUESS" in line and not line.startswith(HEADER))

    def sources(self) -> int:
        """How many sources were placed in the config."""
        return sum(len(items) for e in self.grouped.entities for items in e.sources.values())


def propose(root: Path) -> tuple[str, Grouped, list[str]]:
    """The portfolio.toml text for the folder ``root``, without writing it."""
    walked = walk(root)
    grouped = group(walked.found, root.resolve().name)
    name = root.resolve().name.replace("-", " ").replace("_", " ").title() or "Portfolio"
    return render(grouped, name, walked.skipped), grouped, walked.skipped


def init_portfolio(root: Path) -> Initialised:
    """Write ``root/portfolio.toml``; ``ConfigError`` when the folder is missing or the file
    exists (it is never overwritten)."""
    if not root.is_dir():
        raise ConfigError(f"{root}: no such folder; pass the folder that holds your files")
    target = root / CONFIG_NAME
    text, grouped, skipped = propose(root)
    try:
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        raise ConfigError(
            f"{target} exists and is never overwritten; move it away or run init in another folder"
        ) from None
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    return Initialised(target, grouped, skipped)
