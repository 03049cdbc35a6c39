"""Records about secrets and configuration keys: never the value, only what it is and where."""

from __future__ import annotations

from dataclasses import dataclass

from execbrief.snapshot import Record


@dataclass(frozen=True)
class SecretFinding(Record):
    """A secret found in a file. Holds kind, live or test, length, prefix class and a keyed HMAC
    fingerprint — never the value. ``allowlisted`` carries the allowlist reason when silenced."""

    kind: str
    file: str
    line: int
    live: bool | None
    length: int
    prefix_class: str | None
    fingerprint: str
    detector: str
    allowlisted: str | None = None


@dataclass(frozen=True)
class EnvKey(Record):
    """One ``KEY=value`` line of a ``.env`` file: the key, its service, and what kind of value it
    holds (``secret``, ``placeholder``, ``empty``, ``config``), never the value itself."""

    file: str
    line: int
    key: str
    service: str
    value_kind: str
    live: bool | None
    fingerprint: str | None
