"""Every byte a run wrote: the files under a portfolio folder and each cell of its SQLite store
(compressed snapshots decompressed), for tests that search outputs for what must not be there."""

from __future__ import annotations

import contextlib
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
                            with contextlib.suppress(zlib.error):
                                cell = zlib.decompress(cell)
                            found.append((f"{relative}:{table}", cell))
                        elif isinstance(cell, str):
                            found.append((f"{relative}:{table}", cell.encode()))
            db.close()
    return found
