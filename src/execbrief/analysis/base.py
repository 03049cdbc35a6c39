"""What an analysis plugin is."""

from __future__ import annotations

from typing import ClassVar, Protocol

from pydantic import BaseModel

from execbrief.config import Config, NoOptions
from execbrief.findings import AnalysisResult
from execbrief.snapshot import Snapshot


class Analysis(Protocol):
    """An analysis plugin. ``Options`` validates ``[analysis.<name>]``; ``EntityOptions`` validates
    ``[entities.settings.<name>]``. ``analyze`` is pure: same snapshot and config, same result."""

    name: ClassVar[str]
    description: ClassVar[str]
    Options: ClassVar[type[BaseModel]]
    EntityOptions: ClassVar[type[BaseModel] | None]

    def analyze(self, snapshot: Snapshot, config: Config) -> AnalysisResult:
        """Compute metrics and findings."""
        ...


class BaseAnalysis:
    """Convenience base: no options."""

    name: ClassVar[str] = ""
    description: ClassVar[str] = ""
    Options: ClassVar[type[BaseModel]] = NoOptions
    EntityOptions: ClassVar[type[BaseModel] | None] = None
