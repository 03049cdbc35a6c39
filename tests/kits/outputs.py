"""Every byte a run wrote: the files under a portfolio folder and each cell of its SQLite store
(compressed cells decompressed: a snapshot is zlib, a source-cache result a 32-byte HMAC seal then
zlib), for tests that search outputs for what must not be there."""

from __future__ import annotations

import contextlib
import pickle
import sqlite3
import zlib
from collections.abc import Set
from pathlib import Path


def every_byte_written(root: Path, inputs: Set[str] = frozenset()) -> list[tuple[str, bytes]]:
    """Each file under root (top-level names in ``inputs`` excluded) and each SQLite cell."""
    found: list[tuple[str, bytes]] = []
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if not path.is_file() or relative.parts[0] in inputs:
            continue
        found.append((str(relative), path.read_bytes()))
        if path.suffix == ".db":
            db = sqlite3.connect(path)
            for (table,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'"):
                for row in db.execute(f"SELECT * FROM {table}"):
                    for cell in row:
                        if isinstance(cell, bytes):
                            found.append((f"{relative}:{table}", opened(cell)))
                        elif isinstance(cell, str):
                            found.append((f"{relative}:{table}", cell.encode()))
            db.close()
    return found


#: The HMAC-SHA256 seal before a source-cache result's compressed pickle (store/sourcecache.py).
SEAL_BYTES = 32


def opened(cell: bytes) -> bytes:
    """A stored blob as its text: decompressed whole (a snapshot) or after its seal (a kept
    report, whose pickle holds each string as UTF-8), or a kept source result's two layers
    after its seal (a pickle of the result without its records, then their compressed pickle:
    ``sourcecache.pack_result``); else as stored."""
    for blob in (cell, cell[SEAL_BYTES:]):
        with contextlib.suppress(zlib.error):
            return zlib.decompress(blob)
    body = cell[SEAL_BYTES:]
    with contextlib.suppress(Exception):
        loaded = pickle.loads(body)  # only what this program's own store holds
        if isinstance(loaded, tuple) and len(loaded) == 2 and isinstance(loaded[1], bytes):
            return body + zlib.decompress(loaded[1])
    return cell
