"""Reading every entity's sources: serially, or on a pool of worker processes, same results.

``pipeline.collect`` asks this module for the raw source results in config order. With ``jobs``
above 1 the entities are read on a process pool; entities that list the same file (a portfolio's
shared ``repos.env``) are read by one worker in config order, so a file several entities list is
still read once, on its first listing, exactly as a serial run reads it. The results come back
in config order whatever order the workers finish in, so a parallel run gives the same snapshot,
byte for byte, as a serial one (``tests/test_collect_parallel.py``).

How far a big file has been read reaches the read hook in force (``files.reporting_reads``, put
there by the CLI's progress bar) with the source's name before the file's ("crewboard: ledger ·
ledgers/crewboard.csv") and any secret in it redacted; a worker's reports come back over a pipe.
"""

from __future__ import annotations

import functools
import gc
import hashlib
import json
import multiprocessing
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager, nullcontext, suppress
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from execbrief import __version__, cyclegc, localfiles
from execbrief.config import Config, Entity, SourceSpec
from execbrief.errors import describe_failure
from execbrief.forking import may_fork
from execbrief.plugins import Registry
from execbrief.secrets.halves import EarlyRedaction, redact_in_halves
from execbrief.secrets.redaction import Redactor, known_fingerprints, redact_result
from execbrief.secrets.scanner import Scanner
from execbrief.serialization import to_jsonable
from execbrief.snapshot import Provenance, SourceError, SourceResult
from execbrief.sources.base import SharedReads, SourceRequest
from execbrief.sources.files import (
    REDACTING,
    ReadProgress,
    RecordsOffer,
    offering_records,
    read_reporter,
    reporting_reads,
)
from execbrief.store.sourcecache import (
    Kept,
    SourceCache,
    known_digest,
    pack_result,
    unpack_result,
)

Progress = Callable[[str], None]


def default_jobs() -> int:
    """The number of worker processes when none is asked for: the machine's cores."""
    return os.cpu_count() or 1


@dataclass(frozen=True)
class Job:
    """What every source of one run is read with (set once; a forked worker inherits it)."""

    config: Config
    registry: Registry
    as_of: date
    key: bytes


def request_for(job: Job, entity: Entity, spec: SourceSpec, shared: SharedReads) -> SourceRequest:
    """The request one source of one entity is collected with."""
    config = job.config
    return SourceRequest(
        entity=entity,
        spec=spec,
        root=config.root,
        as_of=job.as_of,
        currency=config.portfolio.currency,
        stale_after_days=entity.stale_after_days or config.portfolio.stale_after_days,
        fingerprint_key=job.key,
        allowlist=tuple(config.secrets.allowlist),
        show_customer_names=config.portfolio.show_customer_names,
        shared=shared,
    )


def collect_source(job: Job, request: SourceRequest) -> SourceResult:
    """One source's result; a bug in the source becomes a SourceError, never a lost run."""
    entity, spec = request.entity, request.spec
    try:
        with localfiles.steady_links():  # one source cites a file many times
            return job.registry.sources[spec.kind].collect(request)
    except Exception as exc:
        where = spec.paths[0] if spec.paths else spec.key
        return SourceResult(
            entity=entity.id,
            kind=spec.kind,
            paths=spec.paths,
            errors=(
                SourceError(
                    entity=entity.id,
                    source_kind=spec.kind,
                    provenance=Provenance(where),
                    message=describe_failure(f"the {spec.kind} source", exc, "please report this"),
                ),
            ),
        )


#: Which sources to read: (entity index, source kind) -> True to read it, False to skip it (the
#: caller already has its result); None reads every source.
Wanted = Callable[[int, str], bool] | None


def collect_entities(
    job: Job,
    indexes: Sequence[int],
    wanted: Wanted = None,
    progress: Progress | None = None,
    offers: Callable[[int, str], RecordsOffer] | None = None,
) -> list[tuple[int, str, SourceResult]]:
    """The sources of the entities at ``indexes`` (config order), read in this process, each
    tagged with its entity index and kind. Shared files are read once across these entities.
    ``offers`` gives, per source, what hears the records of a big file as it is read
    (``files.offering_records``)."""
    shared = SharedReads()
    out: list[tuple[int, str, SourceResult]] = []
    frozen_before = gc.get_freeze_count()
    for index in indexes:
        entity = job.config.entities[index]
        for kind, spec in entity.sources.items():
            if progress:
                progress(f"{entity.id}: {kind}")
            if wanted is not None and not wanted(index, kind):
                continue
            with (
                reporting_reads(_labelled(read_reporter(), f"{entity.id}: {kind}")),
                offering_records(offers(index, kind) if offers is not None else None),
            ):
                result = collect_source(job, request_for(job, entity, spec, shared))
            out.append((index, kind, result))
            # The records kept so far live until the end of the run: freezing them spares every
            # later full garbage collection from rescanning them (collect then grows linearly;
            # bench/collect.py: a third less CPU at 100x the demo).
            gc.freeze()
    if not frozen_before:  # leave a caller's own frozen objects alone
        gc.unfreeze()
    return out


@dataclass(frozen=True)
class Read:
    """One source's result, redacted against the secrets it found itself (``own``: a note that
    repeats them elsewhere is the run's business, see ``gather``), with the fingerprint of every
    token its text holds (``tokens``): redacting it against more secrets changes it only when one
    of them is among ``tokens``. A worker sends the result packed (``sourcecache.pack_result``):
    the parent unpacks it once and keeps those very bytes in the cache."""

    result: SourceResult
    own: frozenset[str]
    tokens: frozenset[str]
    packed: bytes | None = None
    #: The result as read, before redaction, when it was read in this process (its records are
    #: nearly all the redacted result's own objects): a late redaction starts from it instead of
    #: reading the files again (``_redact_late``). It may hold secrets: never shown, sent or kept.
    raw: SourceResult | None = field(default=None, repr=False, compare=False)
    #: The source's cache key when it was made where the source was read (``Keying``).
    key: str | None = None


Slot = tuple[int, str]  # (entity index, source kind)


@dataclass
class Memo:
    """What every redactor of one run in one process shares: the token fingerprints, and the texts
    no rule reads with theirs (both depend on the run's key only). A pool's worker keeps one
    across its batches: the entities repeat each other's accounts, memos and names, so each is
    tokenised once per worker, not once per batch."""

    tokens: dict[str, str] = field(default_factory=dict)
    untouched: dict[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class Keying:
    """How to make the cache keys of the sources ``slots`` where they are read: a source the
    cache keeps nothing for cannot be found there, so its key (a hash of every file it reads,
    about 4 CPU s at 1,000 entities) is made on the worker that reads it, just before, rather
    than in this process before the pool starts."""

    cache: SourceCache
    slots: frozenset[Slot]
    first: dict[str, str]
    run: dict[str, Any]
    real: Callable[[str], str]

    def key(self, job: Job, index: int, kind: str) -> str | None:
        entity = job.config.entities[index]
        spec = entity.sources[kind]
        owners = [self.first.get(self.real(p), "") for p in spec.paths if "://" not in p]
        return cache_key(job, self.cache, entity, spec, owners, self.run)


def read_entities(
    job: Job,
    indexes: Sequence[int],
    wanted: Wanted = None,
    progress: Progress | None = None,
    halves: bool = False,
    memo: Memo | None = None,
    keying: Keying | None = None,
) -> list[tuple[int, str, Read]]:
    """``collect_entities``, each result redacted against its own secrets (the bulk of redaction,
    done where the source was read: on the workers under ``--jobs``). With ``halves`` (a serial
    read under ``--jobs`` above 1), a big result is redacted on two processes: as its file is
    read (``EarlyRedaction``), else once it is (``redact_in_halves``); ``memo``: the caller's,
    when it reads more entities of the run; ``keying``: the cache keys of its ``slots`` among
    them are made first, before any is read."""
    redact = redact_in_halves if halves else redact_result
    scanner = Scanner(job.key, job.config.secrets.allowlist)
    memo = Memo() if memo is None else memo
    keys = _keys_before_reading(job, indexes, keying)

    def redactor(own: frozenset[str] = frozenset()) -> Redactor:
        return Redactor(scanner, own, tokens=memo.tokens, untouched=memo.untouched, index=set())

    early: dict[Slot, EarlyRedaction] = {}

    def offer(index: int, kind: str) -> RecordsOffer:
        early[(index, kind)] = ahead = EarlyRedaction(redactor())
        return ahead.offer

    out: list[tuple[int, str, Read]] = []
    try:
        offers = offer if halves and may_fork() else None
        read = collect_entities(job, indexes, wanted, progress, offers)
        for index, kind, result in read:
            own = known_fingerprints([result])
            entity = job.config.entities[index]
            report = _redacting(f"{entity.id}: {kind}")
            ahead = early.pop((index, kind), None)
            if ahead is not None and not own:  # the children redacted against no secret
                redacted, used = ahead.redacted(result, report), ahead.redactor
            else:
                if ahead is not None:
                    ahead.close()
                used = redactor(own)
                redacted = redact(result, used, report)
            seen = frozenset(used.index or ())
            key = keys.get((index, kind))
            out.append((index, kind, Read(redacted, own, seen, raw=result, key=key)))
    finally:
        for ahead in early.values():
            ahead.close()
    return out


def _keys_before_reading(
    job: Job, indexes: Sequence[int], keying: Keying | None
) -> dict[Slot, str | None]:
    """The cache keys of the sources of ``indexes`` that ``keying`` makes where they are read."""
    if keying is None:
        return {}
    return {
        (index, kind): keying.key(job, index, kind)
        for index in indexes
        for kind in job.config.entities[index].sources
        if (index, kind) in keying.slots
    }


def _redacting(label: str) -> Callable[[int, int], None] | None:
    """How far a long redaction has got, told to the read hook in force as a row of its own
    (``crewboard: ledger · redacting``; its figures are records, not bytes)."""
    hook = read_reporter()
    if hook is None:
        return None
    name = f"{label} · {REDACTING}"
    return lambda done, total: hook(name, done, total, done)


def sharing_groups(config: Config, real: Callable[[str], str] | None = None) -> list[list[int]]:
    """Entity indexes grouped so that entities listing the same file or folder (or a file inside
    a folder another lists) share a group; groups in config order of their first entity."""
    real = real or resolver(config)
    parent = list(range(len(config.entities)))

    def root(index: int) -> int:
        while parent[index] != index:
            parent[index] = parent[parent[index]]
            index = parent[index]
        return index

    listed = [
        (index, path if "://" in path else real(path))
        for index, entity in enumerate(config.entities)
        for spec in entity.sources.values()
        for path in spec.paths
    ]
    owner: dict[str, int] = {}
    for index, name in listed:
        owner.setdefault(name, index)
    top = str(config.root.resolve())
    for index, name in listed:
        for above in _above(top, name):
            if above in owner:
                parent[root(index)] = root(owner[above])
    groups: dict[int, list[int]] = {}
    for index in range(len(config.entities)):
        groups.setdefault(root(index), []).append(index)
    return sorted(groups.values(), key=lambda group: group[0])


def _above(top: str, name: str) -> Iterator[str]:
    """The path itself and every folder above it inside the portfolio (its real folder ``top``):
    two entities meet when one's path is, or lies inside, the other's. (Both are real paths:
    their folders are their texts cut at a separator, with no ``Path`` made per folder.)"""
    yield name
    if "://" in name:
        return
    inside = top.rstrip(os.sep) + os.sep
    folder = os.path.dirname(name)
    while folder != top and folder.startswith(inside):
        yield folder
        folder = os.path.dirname(folder)


# --- progress inside big files ----------------------------------------------------------------


def _labelled(hook: ReadProgress | None, label: str) -> ReadProgress | None:
    """``hook`` told each file with the source reading it named first."""
    if hook is None:
        return None
    return lambda name, done, size, lines: hook(f"{label} · {name}", done, size, lines)


@contextmanager
def _redacted_reads(job: Job) -> Iterator[None]:
    """Within the block the read hook in force hears file names with any secret in them
    replaced by its marker (the redaction every cited path gets)."""
    hook = read_reporter()
    if hook is None:
        yield
        return
    redactor = Redactor(Scanner(job.key, job.config.secrets.allowlist))

    def told(name: str, done: int, size: int | None, lines: int) -> None:
        hook(redactor.clean_path(name), done, size, lines)

    with reporting_reads(told):
        yield


#: A report is one small pickle written whole (under PIPE_BUF): workers need no lock, and a
#: worker killed mid-run cannot leave half a report in the pipe.
_REPORTED_NAME_CHARS = 500


def _forward(name: str, done: int, size: int | None, lines: int) -> None:
    assert _reads is not None
    _reads.send((name[:_REPORTED_NAME_CHARS], done, size, lines))


@contextmanager
def _relaying(reader: Any, hook: ReadProgress) -> Iterator[None]:
    """Within the block, a thread hands the workers' reports on to ``hook``; at its end every
    report sent is handed on before the thread stops."""
    stop = threading.Event()

    def relay() -> None:
        while not stop.is_set() or reader.poll():
            if reader.poll(0.05):
                report = reader.recv()
                with suppress(Exception):  # the pipe is drained whatever the hook does
                    hook(*report)

    thread = threading.Thread(target=relay, name="execbrief-read-progress", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


# --- the pool ---------------------------------------------------------------------------------

_job: Job | None = None  # a forked worker's copy of the run's job
_wanted: Wanted = None
_reads: Any = None  # the pipe end a forked worker sends its read reports to, when they are heard
_memo: Memo | None = None  # a forked worker's own, kept across its batches
_keying: Keying | None = None


#: What a worker sends back per source: (entity index, kind, the Read's result packed, its own
#: fingerprints, its tokens' fingerprints, the cache key it made).
Sent = tuple[int, str, bytes, frozenset[str], frozenset[str], str | None]


def _work(indexes: list[int]) -> list[Sent]:
    assert _job is not None, "a collect worker runs only inside collect_parallel"
    with reporting_reads(None if _reads is None else _forward):  # not the parent's own hook
        read = read_entities(_job, indexes, _wanted, memo=_memo, keying=_keying)
    return [(i, kind, pack_result(r.result), r.own, r.tokens, r.key) for i, kind, r in read]


def _received(sent: Sent) -> tuple[int, str, Read]:
    index, kind, packed, own, tokens, key = sent
    result = unpack_result(packed)
    assert result is not None, "a worker sends what pack_result made"
    return index, kind, Read(result, own, tokens, packed, key=key)


def collect_parallel(
    job: Job,
    jobs: int,
    wanted: Wanted = None,
    progress: Progress | None = None,
    groups: list[list[int]] | None = None,
    keying: Keying | None = None,
) -> list[tuple[int, str, Read]]:
    """Every entity's sources on ``jobs`` forked workers, in config order (``groups``: the
    config's ``sharing_groups`` when the caller has them; ``keying``: the cache keys to make
    where the sources are read). Without ``fork`` (not on Linux or macOS), or with one job or
    one group, the sources are read in this process."""
    groups = groups or sharing_groups(job.config)
    with _redacted_reads(job):
        return _collect_parallel(job, jobs, wanted, progress, groups, keying)


def _collect_parallel(
    job: Job,
    jobs: int,
    wanted: Wanted,
    progress: Progress | None,
    groups: list[list[int]],
    keying: Keying | None,
) -> list[tuple[int, str, Read]]:
    every = list(range(len(job.config.entities)))
    if (
        jobs <= 1
        or sum(1 for group in groups if _has_work(job, group, wanted)) <= 1
        or "fork" not in multiprocessing.get_all_start_methods()
        or _few_to_read(job.config, wanted)
        or _one_dominates(job.config, groups)
    ):
        return read_entities(job, every, wanted, progress, halves=jobs > 1, keying=keying)
    global _job, _wanted, _memo, _keying
    # the memo is empty when forked: each worker fills its own
    _job, _wanted, _memo, _keying = job, wanted, Memo(), keying
    try:
        return _on_pool(job, groups, min(jobs, len(groups)), progress)
    finally:
        _job, _wanted, _memo, _keying = None, None, None, None


def _has_work(job: Job, group: list[int], wanted: Wanted) -> bool:
    return wanted is None or any(
        wanted(index, kind) for index in group for kind in job.config.entities[index].sources
    )


def _few_to_read(config: Config, wanted: Wanted) -> bool:
    """Whether under a tenth of the sources are to be read (a re-run that kept the rest): a
    forked worker would start as large as this process, which now holds every kept result, and
    save less than it costs."""
    if wanted is None:
        return False
    slots = [(i, kind) for i, entity in enumerate(config.entities) for kind in entity.sources]
    return sum(1 for i, kind in slots if wanted(i, kind)) * 10 < len(slots)


def _one_dominates(config: Config, groups: list[list[int]]) -> bool:
    """Whether one group holds three quarters of the input (a 50 MB ledger beside small notes): a pool
    would then only add the cost of sending its records back, and hold them twice in memory."""
    sizes = []
    for group in groups:
        size = 0
        for index in group:
            for spec in config.entities[index].sources.values():
                for path in spec.paths:
                    resolved = config.resolve(path)
                    if "://" not in path and resolved.is_file():
                        size += resolved.stat().st_size
        sizes.append(size)
    return max(sizes) * 4 > sum(sizes) * 3  # over three quarters


def _batches(groups: list[list[int]], jobs: int) -> list[list[int]]:
    """The groups' entity indexes in config order, cut into batches that shrink towards the end:
    each takes a ``4 * jobs``-th of the groups left (at least one), so the first are big (few
    round trips) and the last small, and the workers finish together: with batches of one size,
    the last worker still reading left a core idle for up to a batch's time (at 1,000 entities,
    sixteen batches of 62, a batch took 2.3 CPU s)."""
    out: list[list[int]] = []
    at = 0
    while at < len(groups):
        size = max(1, (len(groups) - at) // (4 * jobs))
        out.append([index for group in groups[at : at + size] for index in group])
        at += size
    return out


def _on_pool(
    job: Job, groups: list[list[int]], jobs: int, progress: Progress | None
) -> list[tuple[int, str, Read]]:
    batches = _batches(groups, jobs)
    out: list[tuple[int, str, Read]] = []
    context = multiprocessing.get_context("fork")
    hook = read_reporter()
    global _reads
    reader, _reads = context.Pipe(duplex=False) if hook else (None, None)
    frozen_before = gc.get_freeze_count()
    try:
        with ProcessPoolExecutor(jobs, mp_context=context) as pool:
            done = pool.map(_work, batches)  # the workers are forked here, before any thread
            # No cycle collection while results arrive (they hold no cycles): each unpacking
            # ends its own pause, and the collections that set off rescanned the batch received
            # so far again and again (a sixth of the parent's receiving at 1,000 entities)
            with _relaying(reader, hook) if hook else nullcontext(), cyclegc.paused():
                for batch, results in zip(batches, done, strict=True):
                    if progress:
                        for index in batch:
                            entity = job.config.entities[index]
                            for kind in entity.sources:
                                progress(f"{entity.id}: {kind}")
                    out.extend(map(_received, results))
                    # as in collect_entities: what was received lives to the end of the run, and
                    # every full collection the next batch's records set off would rescan it
                    # (unpickling 1,000 entities' results took twice as long without)
                    gc.freeze()
    except BrokenProcessPool:  # a worker died (out of memory, killed): read it all here instead
        every = [i for b in batches for i in b]
        return read_entities(job, every, _wanted, progress, keying=_keying)
    finally:
        for end in (reader, _reads):
            if end is not None:
                end.close()
        _reads = None
        if not frozen_before:  # leave a caller's own frozen objects alone
            gc.unfreeze()
    out.sort(key=lambda item: item[0])  # stable: sources keep their order within an entity
    return out


# --- the cache --------------------------------------------------------------------------------

#: Sources whose result depends only on their files (a URL or an AWS API call is never cached).
FILE_SOURCES = frozenset(
    {
        "handoff",
        "site",
        "ledger",
        "bookings",
        "subscribers",
        "code",
        "env",
        "timesheets",
        "invoices",
        "trips",
    }
)


@functools.cache
def code_stamp() -> str:
    """execbrief's version and a digest of its own code files (name, size, time), so a changed
    source reader never reuses what an older one parsed."""
    package = Path(__file__).resolve().parent
    digest = hashlib.sha256(__version__.encode())
    for file in sorted(package.rglob("*.py")):
        if "examples" in file.relative_to(package).parts:
            continue
        stat = file.stat()
        digest.update(f"{file.relative_to(package)}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def run_material(job: Job) -> dict[str, Any]:
    """What every source's cache key holds of the run: code, date, settings, key."""
    config = job.config
    return {
        "code": code_stamp(),
        "as_of": job.as_of.isoformat(),
        "root": str(config.root.resolve()),
        "currency": config.portfolio.currency,
        "names": config.portfolio.show_customer_names,
        "allowlist": [entry.model_dump(mode="json") for entry in config.secrets.allowlist],
        "key": hashlib.sha256(b"execbrief source cache\n" + job.key).hexdigest(),
    }


def cache_key(
    job: Job,
    cache: SourceCache,
    entity: Entity,
    spec: SourceSpec,
    first: list[str],
    run: dict[str, Any] | None = None,
) -> str | None:
    """The key of one source's result: everything it depends on; None when it is not a file
    source (or reads a URL). ``first`` names, per configured path, the entity that lists it first
    (a shared file's read errors are reported on its first listing only); ``run`` is
    ``run_material(job)`` when the caller has it."""
    if spec.kind not in FILE_SOURCES or any("://" in path for path in spec.paths):
        return None
    config = job.config
    files = _input_paths(config, spec.paths)
    if files is None or (spec.kind == "ledger" and _may_include(files)):
        return None
    source = job.registry.sources[spec.kind]
    material = {
        **(run or run_material(job)),
        "source": type(source).__module__ + ":" + type(source).__qualname__,
        "kind": spec.kind,
        "entity": entity.model_dump(mode="json"),
        "paths": list(spec.paths),
        "options": [part.options.model_dump(mode="json") for part in spec.parts or (spec,)],
        "part_paths": [list(part.paths) for part in spec.parts],
        "first": first,
        "stale": entity.stale_after_days or config.portfolio.stale_after_days,
        "files": cache.files(files),
    }
    text = json.dumps(material, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


#: Ledgers that may ``include`` other files anywhere in the portfolio: never cached.
INCLUDING_SUFFIXES = (".beancount", ".bean")


def _input_paths(config: Config, paths: Sequence[str]) -> list[Path] | None:
    """The files and folders a source's configured paths stand for (a glob's matches, in name
    order, after the pattern itself); None for an absolute glob."""
    out: list[Path] = []
    for path in paths:
        resolved = config.resolve(path)
        if any(mark in path for mark in "*?["):
            out.append(resolved)  # the pattern, so that a new match changes the key
            relative = Path(path)
            if relative.is_absolute():
                return None
            out.extend(sorted(config.root.glob(path)))
        else:
            out.append(resolved)
    return out


def _may_include(paths: list[Path]) -> bool:
    return any(p.suffix in INCLUDING_SUFFIXES for p in paths) or any(
        p.is_dir() and any(p.rglob(f"*{suffix}") for suffix in INCLUDING_SUFFIXES) for p in paths
    )


def first_listings(config: Config, real: Callable[[str], str] | None = None) -> dict[str, str]:
    """Each configured local path (resolved) and the first entity, in config order, listing it."""
    real = real or resolver(config)
    first: dict[str, str] = {}
    for entity in config.entities:
        for spec in entity.sources.values():
            for path in spec.paths:
                if "://" not in path:
                    first.setdefault(real(path), entity.id)
    return first


def gather(
    job: Job,
    jobs: int,
    cache: SourceCache | None,
    now: str,
    progress: Progress | None = None,
    shared: Callable[[list[SourceResult]], list[SourceResult]] | None = None,
) -> list[SourceResult]:
    """Every source's result, redacted, in config order: from the cache where its files are
    unchanged, else read (on ``jobs`` workers); what was read is kept for the next run. Then the
    results ``shared`` reads given the entities' own (the ``[shared]`` sources, never kept).

    A secret any source found, a shared one's too, is redacted wherever another source's text
    repeats it. Each result comes back redacted against its own secrets with its tokens'
    fingerprints; only one holding a token of another source's secret is redacted again
    (``_redact_late``).
    """
    config = job.config
    real = resolver(config)
    groups = sharing_groups(config, real)
    keys: dict[Slot, str | None] = {}
    kept: dict[Slot, Kept] = {}
    keying = None
    if cache is not None:
        keying = _look_up(job, cache, real, groups, keys, kept)
    wanted: Wanted = lambda i, kind: (i, kind) not in kept  # noqa: E731
    read = collect_parallel(job, jobs, wanted, progress, groups, keying)
    fresh = {(index, kind): result for index, kind, result in read}
    if keying is not None and cache is not None:
        for slot in keying.slots:
            keys[slot] = fresh[slot].key
            cache.misses += keys[slot] is not None  # as the look-up it needed no longer counts
    extra = shared(_in_order(config, kept, fresh)) if shared is not None else []
    known = frozenset().union(
        *(r.own for r in fresh.values()),
        *(k.fingerprints for k in kept.values()),
        known_fingerprints(extra),
    )
    digest = known_digest(known)
    stale = {slot for slot, k in kept.items() if k.known != digest}
    if stale:  # the run's secrets changed: what was redacted against the old ones is read again
        _drop_groups(config, kept, stale, groups)
        wanted = lambda i, k: (i, k) in stale  # noqa: E731
        for index, kind, result in collect_parallel(job, jobs, wanted, None, groups):
            fresh[(index, kind)] = result
    _redact_late(job, fresh, known, groups, jobs)
    out: list[SourceResult] = []
    for index, entity in enumerate(config.entities):
        for kind in entity.sources:
            slot = (index, kind)
            if slot in kept:
                out.append(kept[slot].result)
                continue
            done = fresh[slot]
            out.append(done.result)
            key = keys.get(slot)
            if cache is not None and key is not None:
                cache.put(key, done.result, done.own, digest, now, done.packed)
    if cache is not None:
        cache.snapshot_digest = _snapshot_digest(config, keys, digest, out, extra)
    return [*out, *extra]


def _look_up(
    job: Job,
    cache: SourceCache,
    real: Callable[[str], str],
    groups: list[list[int]],
    keys: dict[Slot, str | None],
    kept: dict[Slot, Kept],
) -> Keying:
    """Fill ``keys`` and ``kept`` with each source's cache key and what the cache keeps under
    it; a source the cache keeps nothing for (by entity and kind) is left to the ``Keying``
    returned, its key made where it is read."""
    config = job.config
    first = first_listings(config, real)
    run = run_material(job)
    held = cache.kept_slots()
    unkept: set[Slot] = set()
    for index, entity in enumerate(config.entities):
        for kind, spec in entity.sources.items():
            if (entity.id, kind) not in held:
                unkept.add((index, kind))
                continue
            owners = [first.get(real(p), "") for p in spec.paths if "://" not in p]
            keys[(index, kind)] = key = cache_key(job, cache, entity, spec, owners, run)
            found = cache.get(key) if key else None
            if found is not None:
                kept[(index, kind)] = found
    _keep_whole_groups(config, kept, groups)
    return Keying(cache, frozenset(unkept), first, run, real)


def _in_order(
    config: Config, kept: dict[Slot, Kept], fresh: dict[Slot, Read]
) -> list[SourceResult]:
    """The entities' results, kept or read, in config order."""
    return [
        kept[(index, kind)].result if (index, kind) in kept else fresh[(index, kind)].result
        for index, entity in enumerate(config.entities)
        for kind in entity.sources
    ]


def _redact_late(
    job: Job,
    fresh: dict[Slot, Read],
    known: frozenset[str],
    groups: list[list[int]],
    jobs: int = 1,
) -> None:
    """Redact against every secret the run ``known`` each result whose text holds a token of a
    secret another source found, with the rest of its sharing group (the others, none of whose
    tokens is such a secret, are already what that redaction would give): from the results as
    read where this process read them all, else read again here. Under ``jobs`` above 1 a big
    result is redacted on two processes (``redact_in_halves``)."""
    late = {slot for slot, r in fresh.items() if not (r.tokens & known) <= r.own}
    if not late:
        return
    config = job.config
    indexes = [
        index
        for group in groups
        if any((i, kind) in late for i in group for kind in config.entities[i].sources)
        for index in group
    ]
    redactor = Redactor(Scanner(job.key, config.secrets.allowlist), known)
    redact = redact_in_halves if jobs > 1 else redact_result
    for index, kind, result in _as_read(job, indexes, fresh):
        redacted = redact(result, redactor)
        key = fresh[(index, kind)].key
        fresh[(index, kind)] = Read(redacted, known_fingerprints([result]), frozenset(), key=key)


def _as_read(
    job: Job, indexes: list[int], fresh: dict[Slot, Read]
) -> list[tuple[int, str, SourceResult]]:
    """The unredacted results of the entities at ``indexes`` that ``fresh`` holds: those kept
    as read (a 50 MB ledger is not read twice), or, if any was read by a worker, all read again
    (a shared file is then read on its first listing, as the first time)."""
    slots = [(i, kind) for i in indexes for kind in job.config.entities[i].sources]
    slots = [slot for slot in slots if slot in fresh]
    raw = [fresh[slot].raw for slot in slots]
    if all(result is not None for result in raw):
        return [(i, kind, result) for (i, kind), result in zip(slots, raw, strict=True) if result]
    return collect_entities(job, indexes, lambda i, k: (i, k) in fresh)


def resolver(config: Config) -> Callable[[str], str]:
    """A configured local path's real location as text, remembered for the caller's run
    (entities list the same folders again and again; each lookup costs a few system calls)."""
    memo: dict[str, str] = {}
    folders: dict[str, str] = {}

    def real(path: str) -> str:
        found = memo.get(path)
        if found is None:
            found = memo[path] = _real(str(config.resolve(path)), folders)
        return found

    return real


def _real(name: str, folders: dict[str, str]) -> str:
    """``os.path.realpath(name)``, the folder it is in resolved once per ``folders`` (a thousand
    entities list five thousand files in a few hundred folders, and realpath looks up every
    folder above each): realpath resolves a path from its start, so the real path of a file is
    that of its folder's real path joined with its name, that name resolved when it is a link."""
    folder, base = os.path.split(name)
    if base in ("", ".", "..") or not folder:
        return os.path.realpath(name)
    real_folder = folders.get(folder)
    if real_folder is None:
        real_folder = folders[folder] = os.path.realpath(folder)  # a loop does not raise
    joined = os.path.join(real_folder, base)
    return os.path.realpath(joined) if os.path.islink(joined) else joined


def _snapshot_digest(
    config: Config,
    keys: dict[Slot, str | None],
    known: str,
    results: list[SourceResult],
    shared: list[SourceResult],
) -> str:
    """A digest that is the same exactly when the snapshot is: a file source by its cache key
    and the secrets it was redacted against, any other (a ``shared`` one too) by its result as
    JSON data (its content: a pickle also tells which equal values are one object, and a result a
    worker sent back shares fewer than one read here)."""
    digest = hashlib.sha256()
    slots = [(i, kind) for i, entity in enumerate(config.entities) for kind in entity.sources]
    keyed = zip(slots, results, strict=True)
    for slot, result in [*keyed, *(((-1, r.kind), r) for r in shared)]:
        key = keys.get(slot)
        if key is not None:
            digest.update(f"k:{key}:{known}\n".encode())
        else:
            blob = json.dumps(to_jsonable(result), sort_keys=True).encode()
            digest.update(f"j:{hashlib.sha256(blob).hexdigest()}\n".encode())
    return digest.hexdigest()


def _keep_whole_groups(config: Config, kept: dict[Slot, Kept], groups: list[list[int]]) -> None:
    """Entities that share files are read together or not at all: a group with one source to
    read reads all of its sources again (a shared file is then read on its first listing)."""
    for group in groups:
        if len(group) == 1:
            continue
        slots = [(i, kind) for i in group for kind in config.entities[i].sources]
        if not all(slot in kept for slot in slots):
            for slot in slots:
                kept.pop(slot, None)


def _drop_groups(
    config: Config, kept: dict[Slot, Kept], stale: set[Slot], groups: list[list[int]]
) -> None:
    """Drop the stale slots from ``kept``, with their whole sharing group; ``stale`` grows to
    everything dropped."""
    for group in groups:
        slots = [(i, kind) for i in group for kind in config.entities[i].sources]
        if any(slot in stale for slot in slots):
            for slot in slots:
                if kept.pop(slot, None) is not None:
                    stale.add(slot)
