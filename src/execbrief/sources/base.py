"""What a source plugin is, and what it is given."""

from __future__ import annotations

import dataclasses
import functools
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, ClassVar, Protocol, TypeVar

from pydantic import BaseModel

from execbrief import localfiles
from execbrief.config import AllowlistEntry, Entity, NoOptions, SourceSpec
from execbrief.snapshot import SourceResult

T = TypeVar("T")


class SharedReads:
    """One run's memo of files that several entities list (a portfolio's shared ``repos.env``):
    the first listing reads the file, later listings reuse what it read, so the file is read and
    scanned once. Keyed by source kind and resolved path; ``listed_by`` keeps, per file, the
    entities that list it in the order they were collected, and ``reads`` how often each file
    was actually read (once)."""

    def __init__(self) -> None:
        self._read: dict[tuple[str, str], Any] = {}
        self.listed_by: dict[tuple[str, str], list[str]] = {}
        self.reads: Counter[tuple[str, str]] = Counter()

    def get(self, kind: str, path: str, entity: str, read: Callable[[], T]) -> tuple[T, bool]:
        """What ``read()`` returned for this file, reading it on its first listing only; the
        flag is True for the listing that read it."""
        key = (kind, path)
        listed = self.listed_by.setdefault(key, [])
        if entity not in listed:
            listed.append(entity)
        if key in self._read:
            return self._read[key], False
        self.reads[key] += 1
        value = read()
        self._read[key] = value
        return value, True


@dataclass(frozen=True)
class SourceRequest:
    """Everything a source needs for one entity: its spec, the portfolio root and the date.

    ``fingerprint_key`` keys the HMAC fingerprints of secrets (never store a plain hash).
    ``currency`` is the portfolio's default currency. ``allowlist`` is the config's
    ``[secrets] allowlist`` (known false positives of the secret scanner).
    ``show_customer_names`` is ``[portfolio] show_customer_names``: when False (the default)
    sources keep only a keyed fingerprint of a customer's name, never the name.
    ``shared`` is the run's memo of files several entities list (None: read every listing).
    """

    entity: Entity
    spec: SourceSpec
    root: Path
    as_of: date
    currency: str = "USD"
    stale_after_days: int = 45
    fingerprint_key: bytes = b""
    allowlist: tuple[AllowlistEntry, ...] = ()
    show_customer_names: bool = False
    shared: SharedReads | None = None

    def resolve(self, path: str) -> Path:
        """A configured path resolved against the portfolio root."""
        candidate = Path(path).expanduser()
        return candidate if candidate.is_absolute() else self.root / candidate

    def display(self, path: Path | str) -> str:
        """A path as reports show it: relative to the portfolio root when inside it."""
        if isinstance(path, str) and "://" in path:
            return path
        resolved = Path(path)
        inside = localfiles.located_inside(resolved, _resolved(self.root))
        if inside is not None:
            return inside  # what the lines below find, told from the remembered real folders
        try:
            return localfiles.resolved(resolved).relative_to(_resolved(self.root)).as_posix()
        except (ValueError, RuntimeError, OSError):
            # a link out of the folder, or a link loop: cited where it is, as written
            try:
                return resolved.relative_to(self.root).as_posix()
            except ValueError:
                return str(path)


@functools.lru_cache(maxsize=64)
def _resolved(root: Path) -> Path:
    """The portfolio root without symlinks: every cited path is shown relative to it, and one
    run cites hundreds of thousands (the root of a run does not move during it)."""
    return root.resolve()


class Source(Protocol):
    """A source plugin: ``name`` is the key used on an entity in portfolio.toml."""

    name: ClassVar[str]
    description: ClassVar[str]

    @property
    def Options(self) -> type[BaseModel]:
        """The pydantic model that validates this plugin's options."""
        ...

    def collect(self, request: SourceRequest) -> SourceResult:
        """Read the configured paths; never raise for bad input: return SourceErrors instead."""
        ...


class BaseSource:
    """Convenience base: no options unless a subclass sets ``Options``."""

    name: ClassVar[str] = ""
    description: ClassVar[str] = ""
    Options: ClassVar[type[BaseModel]] = NoOptions


def read_parts(
    request: SourceRequest, read: Callable[[SourceRequest], SourceResult]
) -> SourceResult:
    """A source given as a list of tables (``[[entities.timesheets]]``, each with its own
    options: Harvest's ISO dates beside Clockify's ``%m/%d/%Y``), each part read with ``read``
    and the results joined into one: records, errors and mappings in part order, the date range
    spanning them all, and the freshness of the freshest part (a source is as fresh as its
    newest file). A source of one table is read as it is."""
    parts = getattr(request.spec, "parts", ())
    if not parts:
        return read(request)
    results = [read(dataclasses.replace(request, spec=part)) for part in parts]
    fresh = [r.freshness for r in results if r.freshness is not None]
    firsts = [r.first_date for r in results if r.first_date is not None]
    lasts = [r.last_date for r in results if r.last_date is not None]
    return SourceResult(
        entity=request.entity.id,
        kind=results[0].kind,
        paths=tuple(request.spec.paths),
        records=tuple(x for r in results for x in r.records),
        errors=tuple(e for r in results for e in r.errors),
        freshness=min(fresh, key=lambda f: (f.age_days is None, f.age_days)) if fresh else None,
        first_date=min(firsts) if firsts else None,
        last_date=max(lasts) if lasts else None,
        mappings=tuple(m for r in results for m in r.mappings),
    )
