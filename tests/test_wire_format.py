"""The wire format: short, stable type tags in JSON and the store, and stores of 0.1 still read.

``tests/data/store-0.1/execbrief.db.gz`` is the store ``execbrief demo`` wrote with release 0.1,
before the tags (every object there says ``"execbrief.values:Money"``).
"""

from __future__ import annotations

import dataclasses
import gzip
import importlib
import inspect
import json
import pkgutil
import re
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from execbrief import serialization
from execbrief.cli import cli
from execbrief.document import Document
from execbrief.history.runs import History
from execbrief.serialization import TAGS, from_jsonable, to_jsonable, type_name
from execbrief.snapshot import Snapshot
from execbrief.store.db import Store
from execbrief.values import Money

OLD_STORE = Path(__file__).parent / "data" / "store-0.1" / "execbrief.db.gz"
BOTTOM = ["values", "snapshot", "findings", "document"]


def _wire_modules() -> list[str]:
    records = importlib.import_module("execbrief.records")
    return [f"execbrief.{name}" for name in BOTTOM] + [
        f"execbrief.records.{info.name}" for info in pkgutil.iter_modules(records.__path__)
    ]


def _types(data: Any) -> set[str]:
    found: set[str] = set()
    if isinstance(data, dict):
        if isinstance(data.get("type"), str):
            found.add(data["type"])
        for value in data.values():
            found |= _types(value)
    elif isinstance(data, list):
        for value in data:
            found |= _types(value)
    return found


def test_every_value_record_and_block_class_has_a_tag() -> None:
    missing = [
        f"{module}:{obj.__qualname__}"
        for module in _wire_modules()
        for obj in vars(importlib.import_module(module)).values()
        if inspect.isclass(obj)
        and dataclasses.is_dataclass(obj)
        and obj.__module__ == module
        and type_name(obj) not in TAGS
    ]
    assert missing == [], "add these to serialization.TAGS"
    for tag, path in TAGS.items():
        assert re.fullmatch(r"[a-z][a-z0-9_]*", tag), tag
        module, _, name = path.partition(":")
        assert type_name(getattr(importlib.import_module(module), name)) == tag


def test_json_carries_tags_and_a_plugin_class_keeps_its_path() -> None:
    assert to_jsonable(Money("12.50")) == {"type": "money", "amount": "12.50", "currency": "USD"}

    @dataclasses.dataclass(frozen=True)
    class PluginRecord:
        name: str

    encoded = to_jsonable(PluginRecord("x"))
    assert encoded["type"] == f"{__name__}:{PluginRecord.__qualname__}"


def test_a_path_written_before_a_move_decodes_to_the_moved_class(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    serialization._resolve.cache_clear()
    monkeypatch.setitem(serialization.MOVED, "execbrief.money_was_here:Money", "money")
    try:
        old = {"type": "execbrief.money_was_here:Money", "amount": "3", "currency": "USD"}
        assert from_jsonable(old) == Money("3")
    finally:
        serialization._resolve.cache_clear()


def test_the_demo_writes_only_tags(example_portfolio: Path) -> None:
    result = CliRunner().invoke(cli, ["collect", "-c", str(example_portfolio), "--json"])
    assert result.exit_code == 0, result.output
    snapshot_types = _types(json.loads(result.output))
    result = CliRunner().invoke(
        cli, ["build", "-c", str(example_portfolio), "--report", "cfo", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    document_types = _types(json.loads(result.output))
    assert {"snapshot", "transaction", "provenance"} <= snapshot_types
    assert {"document", "table", "money"} <= document_types
    assert [t for t in snapshot_types | document_types if ":" in t] == []


@pytest.fixture
def old_portfolio(example_portfolio: Path) -> Path:
    """The demo portfolio with the store release 0.1 wrote for it."""
    store = example_portfolio.parent / ".execbrief" / "execbrief.db"
    store.parent.mkdir(exist_ok=True)
    with gzip.open(OLD_STORE) as packed, store.open("wb") as out:
        shutil.copyfileobj(packed, out)
    return example_portfolio


def test_a_store_written_by_0_1_opens_and_its_documents_and_snapshot_decode(
    old_portfolio: Path,
) -> None:
    path = old_portfolio.parent / ".execbrief" / "execbrief.db"
    raw = path.read_bytes()
    assert b"execbrief.values:Money" in raw or b"documents" in raw  # written before the tags
    with Store(path, clock=lambda: datetime(2026, 12, 1, tzinfo=UTC)) as store:
        history = History(store)
        documents = history.sent_documents()
        assert sorted(doc.report for doc in documents) == [
            "accounting",
            "billing",
            "ceo",
            "cfo",
            "cmo",
            "cto",
            "operations",
            "rental",
        ]
        assert all(isinstance(doc.document, Document) for doc in documents)
        run_id = store.db.execute("SELECT run_id FROM snapshots").fetchone()["run_id"]
        snapshot = history.snapshot(run_id)
    assert isinstance(snapshot, Snapshot) and len(snapshot.entities) == 7


def test_history_deltas_and_archive_read_a_0_1_store(old_portfolio: Path, tmp_path: Path) -> None:
    config = str(old_portfolio)
    runner = CliRunner()
    listed = runner.invoke(cli, ["history", "-c", config, "--json"])
    assert listed.exit_code == 0, listed.output
    rows = json.loads(listed.output)
    deliveries = rows["deliveries"] if isinstance(rows, dict) else rows
    assert len(deliveries) == 10

    period = runner.invoke(cli, ["history", "-c", config, "--period", "2026-11", "--json"])
    assert period.exit_code == 0, period.output
    assert json.loads(period.output)["documents"]

    # run in January, the report covers December and compares with November, which 0.1 stored
    built = runner.invoke(cli, ["build", "-c", config, "--report", "cfo", "--as-of", "2027-01-05"])
    assert built.exit_code == 0, built.output
    assert (
        "Compared with the CFO report for November 2026, as of 2026-11-20, the last one delivered"
        " to its recipients (sent 2026-12-01)" in " ".join(built.output.split())
    )

    out = tmp_path / "archive"
    archived = runner.invoke(cli, ["archive", "-c", config, "--out", str(out)])
    assert archived.exit_code == 0, archived.output
    pages = sorted(p.name for p in (out / "2026-11").glob("*.html"))
    assert "cfo.html" in pages and len(pages) == 8
