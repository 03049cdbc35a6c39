"""What a source plugin is, and what it is given."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import ClassVar, Protocol

from pydantic import BaseModel

from execbrief.config import AllowlistEntry, Entity, NoOptions, SourceSpec
from execbrief.snapshot import SourceResult


@dataclass(frozen=True)
class SourceRequest:
    """Everything a source needs for one entity: its spec, the portfolio root and the date.

    ``fingerprint_key`` keys the HMAC fingerprints of secrets (never store a plain hash).
    ``currency`` is the portfolio's default currency. ``allowlist`` is the config's
    ``[secrets] allowlist`` (known false positives of the secret scanner).
    ``show_customer_names`` is ``[portfolio] show_customer_names``: when False (the default)
    sources keep only a keyed fingerprint of a customer's name, never the name.
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

    def resolve(self, path: str) -> Path:
        """A configured path resolved against the portfolio root."""
        candidate = Path(path).expanduser()
        return candidate if candidate.is_absolute() else self.root / candidate

    def display(self, path: Path | str) -> str:
        """A path as reports show it: relative to the portfolio root when inside it."""
        if isinstance(path, str) and "://" in path:
            return path
        resolved = Path(path)
        try:
            return resolved.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return str(path)


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
