"""A FIFO, socket or device where a source reads is skipped with a message naming it, never opened
(opening a FIFO blocks forever): at a configured path, among a glob's matches, in a folder."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from execbrief.examples import copy_example
from execbrief.sources.files import ReadError, expand, read_text
from kits.files import request, write

FIFO = (
    "is a named pipe (FIFO), not a regular file; skipped without opening it (reading one can "
    "block the run); expected a regular file at this path"
)
SOCKET = FIFO.replace("a named pipe (FIFO)", "a socket")

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs POSIX FIFOs")


@pytest.fixture
def unix_socket(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """Binds unix sockets by a relative name (a socket path may not exceed ~100 bytes)."""
    opened: list[socket.socket] = []

    def bind(path: Path) -> None:
        monkeypatch.chdir(path.parent)
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.bind(path.name)
        opened.append(sock)

    yield bind
    for sock in opened:
        sock.close()


def errors_of(snapshot: Any) -> list[tuple[str, str, bool]]:
    """(cited file, message, fatal) of every SourceError in a ``collect --json`` snapshot."""
    found: list[tuple[str, str, bool]] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "source_error":
                found.append((node["provenance"]["source"], node["message"], node["fatal"]))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(snapshot)
    return found


def test_a_run_over_fifos_and_a_socket_finishes_and_names_each(
    tmp_path: Path, unix_socket: Any
) -> None:
    root = copy_example(tmp_path / "harbor")
    # A FIFO at a configured handoff path.
    (root / "handoffs" / "harbor-charters.md").unlink()
    os.mkfifo(root / "handoffs" / "harbor-charters.md")
    # A socket at another configured handoff path.
    (root / "handoffs" / "clean-sweep.md").unlink()
    unix_socket(root / "handoffs" / "clean-sweep.md")
    # A FIFO and a socket among a glob's matches, next to the real note.
    config = root / "portfolio.toml"
    config.write_text(
        config.read_text().replace(
            'handoff = "handoffs/sunset-sails.md"', 'handoff = "handoffs/sunset-*.md"'
        )
    )
    os.mkfifo(root / "handoffs" / "sunset-pipe.md")
    unix_socket(root / "handoffs" / "sunset-socket.md")
    # A FIFO in a ledger folder glob.
    os.mkfifo(root / "ledgers" / "harbor-charters-2027.csv")
    config.write_text(
        config.read_text().replace(
            'ledger = "ledgers/harbor-charters.csv"', 'ledger = "ledgers/harbor-charters*.csv"'
        )
    )
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "execbrief", "collect", "-c", str(config), "--json"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert time.monotonic() - started < 120
    errors = errors_of(json.loads(done.stdout))
    assert ("handoffs/harbor-charters.md", FIFO, True) in errors
    assert ("handoffs/clean-sweep.md", SOCKET, True) in errors
    assert ("handoffs/sunset-pipe.md", FIFO, False) in errors
    assert ("handoffs/sunset-socket.md", SOCKET, False) in errors
    assert ("ledgers/harbor-charters-2027.csv", FIFO, False) in errors
    # the real files beside them are still read
    assert not [e for e in errors if e[0] in ("handoffs/sunset-sails.md",) and e[2]]
    assert '"handoffs/sunset-sails.md"' in done.stdout


def test_a_folder_with_only_a_fifo_is_a_fatal_error_naming_it(tmp_path: Path) -> None:
    os.mkdir(tmp_path / "notes")
    os.mkfifo(tmp_path / "notes" / "a.md")
    locations, errors = expand(request(tmp_path, "notes", kind="handoff"), suffixes=(".md",))
    assert locations == []
    assert [(e.provenance.cite(), e.message, e.fatal) for e in errors] == [
        ("notes/a.md", FIFO, True)
    ]


def test_a_character_device_is_named_and_not_opened(tmp_path: Path) -> None:
    _, errors = expand(request(tmp_path, "/dev/null"))
    assert [e.message for e in errors] == [
        FIFO.replace("a named pipe (FIFO)", "a character device")
    ]


def test_a_file_swapped_for_a_fifo_after_expand_is_refused_on_open(tmp_path: Path) -> None:
    path = write(tmp_path, "note.md", "# Note\n")
    (loc,) = expand(request(tmp_path, "note.md", kind="handoff"))[0]
    path.unlink()
    os.mkfifo(path)
    with pytest.raises(ReadError, match=r"is a named pipe \(FIFO\), not a regular file"):
        read_text(loc)


def test_a_cost_report_export_that_is_a_fifo_is_refused_unopened(tmp_path: Path) -> None:
    from execbrief.config import Entity, SourceSpec
    from execbrief.sources.aws import AwsOptions, AwsSource
    from execbrief.sources.base import SourceRequest

    os.mkfifo(tmp_path / "cur.csv")
    result = AwsSource().collect(
        SourceRequest(
            entity=Entity(id="acme", name="Acme", kind="other"),
            spec=SourceSpec("aws", (), AwsOptions(cur_export="cur.csv"), "aws"),
            root=tmp_path,
            as_of=date(2026, 11, 20),
        )
    )
    assert [(e.provenance.cite(), e.message, e.fatal) for e in result.errors] == [
        ("cur.csv", FIFO, True)
    ]
