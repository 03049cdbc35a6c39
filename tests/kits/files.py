"""Helpers for the file-layer and ledger tests: a SourceRequest over a temp folder, fixture files,
and a moto S3 server."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from execbrief.config import Entity, NoOptions, SourceSpec
from execbrief.sources.base import SourceRequest

AS_OF = date(2026, 11, 20)
EXAMPLES = Path(__file__).resolve().parents[2] / "src" / "execbrief" / "examples" / "harbor"


def request(
    root: Path,
    paths: str | list[str],
    options: BaseModel | None = None,
    *,
    kind: str = "ledger",
    as_of: date = AS_OF,
    stale_after_days: int = 45,
) -> SourceRequest:
    """A request for ``paths`` (relative to ``root``) of entity ``acme``."""
    found = (paths,) if isinstance(paths, str) else tuple(paths)
    return SourceRequest(
        entity=Entity(id="acme", name="Acme", kind="other"),
        spec=SourceSpec(kind, found, options or NoOptions(), f"entities[0].{kind}"),
        root=root,
        as_of=as_of,
        stale_after_days=stale_after_days,
    )


def write(root: Path, name: str, content: str | bytes) -> Path:
    """Write a fixture file under ``root``."""
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def start_s3(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """A moto S3 server on 127.0.0.1 with fake credentials; yields a boto3 client for it.

    Use as ``yield from start_s3(monkeypatch)`` inside a fixture.
    """
    import boto3
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ENDPOINT_URL_S3": endpoint,
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    try:
        yield boto3.session.Session().client("s3", endpoint_url=endpoint, region_name="us-east-1")
    finally:
        server.stop()
