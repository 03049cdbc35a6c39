"""The store's cache of parsed sources: an unchanged file is not read twice.

A source's result is kept under a key the caller makes from everything the result depends on
(``collecting.cache_key``): the source's kind, options and entity, the run's date and settings,
execbrief's version, and each file's size, modification time and content hash as ``files`` gives
them. The hash is taken on every run (SHA-256 reads 50 MB in under a tenth of a CPU second): a
file edited to the same size with its modification time put back is still a changed file.

What is kept is the result as the snapshot holds it, after redaction, so no secret value is ever
written. It is kept pickled, its records packed on their own (``pack_result``: pickled and
compressed; decoding the JSON form cost more than reading the files again): a result found in the
cache has its records unpacked the first time they are used, so a re-run
whose reports were kept too (``pipeline.build_once``) never unpacks them. It is
sealed with an HMAC under the run's fingerprint key: a result whose seal does not verify (a store
edited by hand, another key) is never unpickled, only read again from its files. Kept with it
are the fingerprints of the secrets the source found (``fingerprints``) and a digest of every
fingerprint the run knew when it redacted (``known``): redaction depends on the whole run's
secrets, so a kept result is reused only when that digest is the same again.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import os
import pickle
import sqlite3
import sys
import zlib
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import wraps
from pathlib import Path
from typing import Any, BinaryIO, Concatenate, ParamSpec, cast

from execbrief import cyclegc, localfiles
from execbrief.snapshot import SourceResult
from execbrief.store import columns
from execbrief.store.db import Store, refusal_cause

#: Folders never part of a source's input (git's own files are covered by ``git_state``).
SKIPPED_FOLDERS = frozenset({".git", "__pycache__"})

#: A result with more records than this is not kept. A ledger's records pack as columns to about
#: ten bytes a line (``store.columns``; a 50 MB ledger of 700,000 lines: 7 MB, read back in a
#: quarter of the time reading and redacting the file takes), so this keeps a kept row far
#: under SQLite's billion-byte limit on a value.
MAX_KEPT_RECORDS = 10_000_000


Args = ParamSpec("Args")


def _optional_write(
    write: Callable[Concatenate[SourceCache, Args], None],
) -> Callable[Concatenate[SourceCache, Args], None]:
    """A cache write that never stops a run: the cache is an optimisation. The first write SQLite
    refuses (a full disk, a read-only file, a lock) is one warning, and the run goes on without
    keeping anything more; what it read is read again by the next run."""

    @wraps(write)
    def guarded(cache: SourceCache, *args: Args.args, **kwargs: Args.kwargs) -> None:
        if cache.refused is not None:
            return
        try:
            write(cache, *args, **kwargs)
        except sqlite3.Error as exc:
            cause, fix = refusal_cause(exc)
            cache.refused = (
                f"{cache.path}: the source cache cannot be written ({cause}); this run goes on"
                f" without keeping what it reads, so the next one reads it again ({fix} to"
                " keep it)"
            )
            cache.warn(cache.refused)

    return guarded


def _warn(sentence: str) -> None:
    sys.stderr.write(f"warning: {sentence}\n")


@dataclass(frozen=True)
class Kept:
    """A result found in the cache, with what it was redacted against."""

    result: SourceResult
    fingerprints: frozenset[str]
    known: str


def known_digest(fingerprints: frozenset[str]) -> str:
    """One digest of a set of secret fingerprints (fingerprints are keyed HMACs, never values)."""
    return hashlib.sha256("\n".join(sorted(fingerprints)).encode()).hexdigest()


class SourceCache:
    """The ``source_cache`` table of one store; counts what it reused. (``source_files``, where
    file hashes were once kept to be reused by size and time, is no longer written.)"""

    def __init__(self, store: Store, key: bytes, stamp: str = "") -> None:
        self.db = store.db
        self.stamp = stamp  # when this run began: what it keeps is stamped with it
        self._seal_key = hashlib.sha256(b"execbrief source cache seal\n" + key).digest()
        self.hits = 0
        self.misses = 0
        self._git: dict[str, list[list[str | int]]] = {}
        #: Set by the collect that used this cache: a digest of the snapshot it gave.
        self.snapshot_digest: str | None = None
        self.path = store.path
        #: The sentence said when the first write was refused (None while writes succeed), and
        #: where it is said.
        self.refused: str | None = None
        self.warn: Callable[[str], None] = _warn

    def files(self, paths: list[Path]) -> list[list[str | int]]:
        """Each file under ``paths`` (files or folders, walked in name order) as
        ``[path, size, mtime_ns, sha256]``; a missing path as ``[path, "missing"]``. (Paths as
        text: a thousand entities' files are tens of thousands of lookups.)"""
        out: list[list[str | int]] = []
        for path in paths:
            name = str(path)
            if os.path.isdir(name):
                out.extend(_file(file) for file in _walk(name))
                folder = name
            else:
                out.append(_file(name) if os.path.isfile(name) else [name, "missing"])
                folder = os.path.dirname(name)
            out.extend(self._git_state(folder))
        return out

    def _git_state(self, folder: str) -> list[list[str | int]]:
        """``git_state`` of a folder, each looked up once per run (entities list many paths in a
        few folders, and each lookup costs two system calls per folder above)."""
        found = self._git.get(folder)
        if found is None:
            found = self._git[folder] = git_state(Path(folder))
        return found

    def get(self, key: str) -> Kept | None:
        """The result kept under ``key``, or None (counted as a hit or a miss)."""
        row = self.db.execute(
            "SELECT CAST(result AS BLOB), fingerprints, known FROM source_cache WHERE key = ?",
            (key,),
        ).fetchone()
        result = self._unseal(row[0]) if row is not None else None
        if result is None:
            self.misses += 1
            return None
        self.hits += 1
        return Kept(result, frozenset(json.loads(row[1])), row[2])

    def kept_slots(self) -> set[tuple[str, str]]:
        """The (entity, kind) of every source something is kept for: any other is not found
        under any key (``put`` keeps one result per entity and kind)."""
        rows = self.db.execute("SELECT DISTINCT entity, kind FROM source_cache").fetchall()
        return {(entity, kind) for entity, kind in rows}

    def _seal_any(self, value: Any) -> bytes:
        return self._seal_packed(pack(value))

    def _seal_packed(self, blob: bytes) -> bytes:
        return hmac.digest(self._seal_key, blob, "sha256") + blob

    def _verified(self, sealed: bytes) -> bytes | None:
        """The blob under the seal, or None when this key did not seal it (it is then never
        unpacked)."""
        seal, blob = bytes(sealed[:32]), bytes(sealed[32:])
        if not hmac.compare_digest(seal, hmac.digest(self._seal_key, blob, "sha256")):
            return None
        return blob

    def _unseal_any(self, sealed: bytes) -> Any:
        blob = self._verified(sealed)
        return None if blob is None else unpack(blob)

    def _unseal(self, sealed: bytes) -> SourceResult | None:
        blob = self._verified(sealed)
        return None if blob is None else unpack_result(blob, lazy=True)

    @_optional_write
    def put(
        self,
        key: str,
        result: SourceResult,
        fingerprints: frozenset[str],
        known: str,
        now: str,
        packed: bytes | None = None,
    ) -> None:
        """Keep ``result`` (already redacted) under ``key``, replacing what the same entity's
        source of the same kind kept before (a result over ``MAX_KEPT_RECORDS`` only drops it).
        ``packed``: the result already ``pack_result``-ed (by the worker that read it), kept as
        it is."""
        self.db.execute(
            "DELETE FROM source_cache WHERE entity = ? AND kind = ?", (result.entity, result.kind)
        )
        if len(result.records) > MAX_KEPT_RECORDS:
            return
        payload = self._seal_packed(pack_result(result) if packed is None else packed)
        self.db.execute(
            "INSERT OR REPLACE INTO source_cache"
            " (key, entity, kind, fingerprints, known, result, stored_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                key,
                result.entity,
                result.kind,
                json.dumps(sorted(fingerprints)),
                known,
                payload,
                now,
            ),
        )

    def built(self, key: str) -> Any:
        """The reports built under ``key`` (a snapshot, config and period), or None."""
        row = self.db.execute(
            "SELECT CAST(built AS BLOB) FROM built_reports WHERE key = ?", (key,)
        ).fetchone()
        return self._unseal_any(row[0]) if row is not None else None

    @_optional_write
    def keep_built(self, key: str, built: Any, now: str) -> None:
        """Keep the reports built under ``key``; only the last few builds are kept. A key
        ``<key>:<format>`` keeps their rendered text beside them (``pipeline.render_once``): it
        goes with them."""
        self.db.execute(
            "INSERT OR REPLACE INTO built_reports (key, built, stored_at) VALUES (?, ?, ?)",
            (key, self._seal_any(built), now),
        )
        self.db.execute(
            "DELETE FROM built_reports WHERE substr(key, 1, 64) NOT IN"
            " (SELECT substr(key, 1, 64) AS build FROM built_reports GROUP BY build"
            " ORDER BY max(stored_at) DESC, max(rowid) DESC LIMIT 4)"
        )


def pack(value: Any) -> bytes:
    """``value`` pickled and compressed (zlib, fastest level: records' pickles shrink about
    fourfold for half a millisecond an entity, so the results a worker sends and the parent holds
    until they are kept take a quarter of the memory, and the store a quarter of the disk). A
    result's many records are pickled as columns (``store.columns``), compressed as they are
    pickled: the whole pickle is never held. The cycle collector waits meanwhile: the pickler's
    memo and the tuples it asks for make no cycles, yet their allocations set off full
    collections that rescan the whole process (built reports at 1,000 entities: 5.1 s of
    pickling, most of it those rescans)."""
    out = _Deflating()
    with cyclegc.paused():
        columns.dump(value, out, SourceResult)
    return out.finish()


def unpack(blob: bytes) -> Any:
    """The value ``pack`` made ``blob`` of (only ever called on what this program packed),
    decompressed as it is read; the cycle collector waits while the records are made (they hold
    no cycles)."""
    with cyclegc.paused():
        return columns.load(_inflating(blob))


#: A packed blob up to this size is decompressed whole before it is unpickled.
INFLATE_WHOLE = 1 << 20


def _inflating(blob: bytes) -> BinaryIO:
    """A file to unpickle ``blob``'s pickles from: a small blob (one source's records, a few
    hundred KB at most) decompressed at once, so that the unpickler reads it in C (a fifth less
    time to unpack a thousand entities' results than through ``_Inflating``'s reads); a big one
    (a ledger's columns) decompressed a block at a time, so that its whole pickle is never held."""
    if len(blob) <= INFLATE_WHOLE:
        return io.BytesIO(zlib.decompress(blob))
    return cast(BinaryIO, _Inflating(blob))


class _Deflating:
    """A file pickles are written to, compressed as they come."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []
        self.deflate = zlib.compressobj(1)

    def write(self, data: bytes) -> int:
        self.parts.append(self.deflate.compress(data))
        return len(data)

    def finish(self) -> bytes:
        self.parts.append(self.deflate.flush())
        return b"".join(self.parts)


class _Inflating:
    """A file pickles are read from, decompressed a block at a time."""

    BLOCK = 1 << 16

    def __init__(self, blob: bytes) -> None:
        self.inflate = zlib.decompressobj()
        self.blob = memoryview(blob)
        self.at = 0
        self.buffer = b""
        self.taken = 0

    def _fill(self, size: int) -> None:
        """Hold at least ``size`` bytes unread, or all that is left."""
        pending = [self.buffer[self.taken :]]
        held = len(pending[0])
        while held < size:
            tail = self.inflate.unconsumed_tail
            if not tail and self.at >= len(self.blob):
                pending.append(self.inflate.flush())
                break
            source = tail or self.blob[self.at : self.at + self.BLOCK]
            self.at += 0 if tail else len(source)
            more = self.inflate.decompress(source, max(size - held, self.BLOCK))
            pending.append(more)
            held += len(more)
        self.buffer, self.taken = b"".join(pending), 0

    def read(self, size: int = -1) -> bytes:
        if size < 0:
            size = 1 << 62
        if len(self.buffer) - self.taken < size:
            self._fill(size)
        data = self.buffer[self.taken : self.taken + size]
        self.taken += len(data)
        return data

    def readinto(self, target: Any) -> int:
        data = self.read(len(target))
        target[: len(data)] = data
        return len(data)

    def readline(self) -> bytes:
        data = b""
        while not data.endswith(b"\n") and (chunk := self.read(1)):
            data += chunk
        return data


def pack_result(result: SourceResult) -> bytes:
    """``result`` pickled with its records ``pack``-ed on their own inside: what a worker sends
    and the cache keeps (the records are all but the whole of it)."""
    head = replace(result, records=())
    # the whole result goes in the inner part: ``pack`` pickles a result's many records as
    # columns (``store.columns``), a bare tuple of them as one plain pickle
    return pickle.dumps((head, pack(result)), protocol=pickle.HIGHEST_PROTOCOL)


def unpack_result(blob: bytes, *, lazy: bool = False) -> SourceResult | None:
    """The result ``pack_result`` made ``blob`` of (None if it is not one); ``lazy``: its
    records unpacked when first used (``SourceResult.deferred``)."""
    loaded = pickle.loads(blob)
    if not (isinstance(loaded, tuple) and len(loaded) == 2):
        return None
    head, records = loaded
    if type(head) is not SourceResult or not isinstance(records, bytes):
        return None
    if lazy:
        return SourceResult.deferred(head, lambda: _records(records))
    return replace(head, records=_records(records))


def _records(packed: bytes) -> tuple[Any, ...]:
    inner = unpack(packed)
    return tuple(inner.records) if isinstance(inner, SourceResult) else tuple(inner)


def _walk(folder: str) -> list[str]:
    """Every entry under ``folder`` that is not a folder, in name order, as text; linked folders
    are not entered, so a link loop cannot trap the walk (``localfiles.walk``; nothing opened)."""
    return [
        str(path)
        for path, _kind in localfiles.walk(
            Path(folder), skip_folder=lambda name: name in SKIPPED_FOLDERS
        )
    ]


def _file(path: str) -> list[str | int]:
    """``[path, size, mtime_ns, sha256]`` of a regular file; ``[path, kind]`` of a FIFO,
    device, link loop or unreadable file, which is never opened (``localfiles``)."""
    try:
        with localfiles.open_regular(Path(path)) as handle:
            stat = os.fstat(handle.fileno())
            return [path, stat.st_size, stat.st_mtime_ns, _sha256(handle)]
    except localfiles.NotRegular as exc:
        return [path, exc.kind]
    except OSError as exc:
        return [path, f"unreadable: {exc.strerror or type(exc).__name__}"]


def _sha256(handle: BinaryIO) -> str:
    digest = hashlib.sha256()
    for block in iter(lambda: handle.read(1 << 20), b""):
        digest.update(block)
    return digest.hexdigest()


def git_state(path: Path) -> list[list[str | int]]:
    """The git commit a path's repository is at (its HEAD and the ref it names), when it sits in
    one: a source cites the last commit touching its files, which a new commit can change."""
    for folder in (path, *path.parents):
        dot_git = folder / ".git"
        if dot_git.is_file():  # a worktree or submodule: ``gitdir: <where its files are>``
            pointer = dot_git.read_text(errors="replace").strip()
            if pointer.startswith("gitdir: "):
                dot_git = folder / pointer[len("gitdir: ") :]
        if dot_git.exists():
            state: list[list[str | int]] = []
            for name in ("HEAD", "packed-refs"):
                file = dot_git / name
                if file.is_file():
                    state.append([str(file), file.read_text(errors="replace")])
            head = dot_git / "HEAD"
            if head.is_file() and head.read_text(errors="replace").startswith("ref: "):
                ref = dot_git / head.read_text(errors="replace")[5:].strip()
                if ref.is_file():
                    state.append([str(ref), ref.read_text(errors="replace")])
            return state
    return []
