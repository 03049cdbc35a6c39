"""Helpers for the tests of the operational sources (bookings, timesheets, invoices, trips,
subscribers): build a SourceRequest for files in a temp folder, serialise results to JSON text."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from execbrief.config import Entity, SourceSpec
from execbrief.serialization import to_jsonable
from execbrief.snapshot import SourceResult
from execbrief.sources.base import SourceRequest

AS_OF = date(2026, 11, 20)
EXAMPLES = Path(__file__).resolve().parents[2] / "src" / "execbrief" / "examples" / "harbor"


def make_request(
    root: Path,
    kind: str,
    paths: str | list[str],
    options: BaseModel,
    *,
    entity: str = "acme",
    show_customer_names: bool = False,
    key: bytes = b"test-key",
    stale_after_days: int = 45,
) -> SourceRequest:
    """A request for ``paths`` (relative to ``root``) with validated ``options``."""
    found = (paths,) if isinstance(paths, str) else tuple(paths)
    return SourceRequest(
        entity=Entity(id=entity, name=entity.title(), kind="other"),
        spec=SourceSpec(kind, found, options, f"entities[0].{kind}"),
        root=root,
        as_of=AS_OF,
        fingerprint_key=key,
        show_customer_names=show_customer_names,
        stale_after_days=stale_after_days,
    )


def write(root: Path, name: str, text: str | bytes) -> Path:
    """Write a fixture file under ``root`` and return its path."""
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def as_json(result: SourceResult) -> str:
    """The result as the JSON text a snapshot export would hold."""
    return json.dumps(to_jsonable(result))


def messages(result: SourceResult) -> list[str]:
    """Every error of a result as users see it."""
    return [error.describe() for error in result.errors]


def one_error(result: SourceResult) -> Any:
    """The single error of a result (fails the test otherwise)."""
    assert len(result.errors) == 1, messages(result)
    return result.errors[0]
