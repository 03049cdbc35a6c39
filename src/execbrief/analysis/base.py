"""What an analysis plugin is."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Protocol, TypeVar

from pydantic import BaseModel

from execbrief.config import Config
from execbrief.findings import AnalysisResult
from execbrief.snapshot import Snapshot


class Analysis(Protocol):
    """An analysis plugin. ``Options`` validates ``[analysis.<name>]``; ``EntityOptions`` validates
    ``[entities.settings.<name>]``. ``analyze`` is pure: same snapshot and config, same result."""

    @property
    def name(self) -> str:
        """The key of ``[analysis.<name>]`` and of ``ctx.analysis(name)``."""
        ...

    @property
    def description(self) -> str:
        """One line for ``execbrief reports``."""
        ...

    @property
    def Options(self) -> type[BaseModel]:
        """The pydantic model that validates this plugin's options."""
        ...

    @property
    def EntityOptions(self) -> type[BaseModel] | None:
        """The model that validates ``[entities.settings.<name>]``, or None."""
        ...

    def analyze(self, snapshot: Snapshot, config: Config) -> AnalysisResult:
        """Compute metrics and findings."""
        ...


T = TypeVar("T")
K = TypeVar("K")


def first_by(items: Iterable[T], key: Callable[[T], K]) -> dict[K, T]:
    """Each key's first item, in order: a result's lookup per entity in one pass, where a scan
    per lookup would grow with the square of the portfolio."""
    out: dict[K, T] = {}
    for item in items:
        out.setdefault(key(item), item)
    return out


def all_by(items: Iterable[T], key: Callable[[T], K]) -> dict[K, list[T]]:
    """Each key's items, in order: what a report shows per entity, grouped in one pass."""
    out: dict[K, list[T]] = {}
    for item in items:
        out.setdefault(key(item), []).append(item)
    return out
