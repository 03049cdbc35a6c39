"""The portfolio's ``[shared]`` sources: one ``.env`` or code tree for every business, read once.

A founder keeps one ``repos.env`` and one ``repos/`` tree for all the businesses. ``[shared]``
names them once; after every entity's own sources are read, each shared source is read once
(code first), and its records are attributed:

- **code**: a folder that names an entity by its id, name or site domain (``repos/harbor-charters/``,
  ``sites/harborcharters.com/``; letters and digits compared, case and punctuation ignored, a
  domain's suffix dropped) is read as that entity's code, the first such folder on a path
  claiming what is under it; the rest of the tree is read once as ``shared``.
- **env**: a key belongs to every entity whose code (its own ``code`` source, or shared code
  attributed to it) reads that variable (``process.env.KEY``, ``os.environ["KEY"]``, a quoted
  ``"KEY"``: ``sources.codeaudit.envrefs``), and a secret on that key's line goes with it.

What no entity claims stays with the portfolio, under the entity id ``shared``
(:data:`execbrief.config.SHARED_ENTITY`): a secret nobody's code reads is still a finding. Each
shared source's errors are reported once, under ``shared``.
"""

from __future__ import annotations

import os
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path

from execbrief.collecting import Job, collect_source, request_for
from execbrief.config import SHARED_ENTITY, Config, Entity, SourceSpec
from execbrief.records.code import EnvUse
from execbrief.records.secrets import EnvKey, SecretFinding
from execbrief.snapshot import Record, SourceResult
from execbrief.sources.base import SharedReads
from execbrief.sources.codeaudit.walk import SKIP_DIRS

Progress = Callable[[str], None]

_NOT_ALNUM = re.compile(r"[^a-z0-9]+")


def collect_shared(
    job: Job, results: Sequence[SourceResult], progress: Progress | None = None
) -> list[SourceResult]:
    """The ``[shared]`` sources' results, attributed to entities (``shared`` keeps the rest)."""
    specs = job.config.shared_sources
    if not specs:
        return []
    entity = shared_entity(job.config)
    reads = SharedReads()
    out: list[SourceResult] = []
    if "code" in specs:
        for owner, spec in code_parts(job.config, specs["code"]):
            if progress:
                progress(f"shared: code ({owner.id})")
            out.append(collect_source(job, request_for(job, owner, spec, reads)))
    if "env" in specs:
        if progress:
            progress("shared: env")
        env = collect_source(job, request_for(job, entity, specs["env"], reads))
        out.extend(attribute_env(job.config, env, env_uses([*results, *out])))
    return out


def shared_entity(config: Config) -> Entity:
    """The entity the shared sources are read as (never in ``config.entities``)."""
    return Entity.model_construct(
        id=SHARED_ENTITY, name=f"{config.portfolio.name} (shared)", kind="other"
    )


def code_parts(config: Config, spec: SourceSpec) -> list[tuple[Entity, SourceSpec]]:
    """The shared code split by owner: each entity's folders (in config order), then the rest
    of the tree as ``shared`` (the owners' folders skipped by name)."""
    owners = _Owners(config)
    claimed: dict[str, list[str]] = defaultdict(list)
    for configured in spec.paths:
        for folder, owner in _claimed_folders(config.resolve(configured), owners):
            claimed[owner].append(str(folder))
    parts = [
        (entity, replace(spec, paths=tuple(claimed[entity.id])))
        for entity in config.entities
        if entity.id in claimed
    ]
    skipped = sorted({Path(folder).name for folders in claimed.values() for folder in folders})
    options = spec.options.model_copy(
        update={"skip_dirs": [*getattr(spec.options, "skip_dirs", []), *skipped]}
    )
    parts.append((shared_entity(config), replace(spec, options=options)))
    return parts


def _claimed_folders(root: Path, owners: _Owners) -> Iterator[tuple[Path, str]]:
    """(folder, entity id) for each folder under ``root`` that names an entity; what is under a
    claimed folder is not looked at further. Symbolic links and SKIP_DIRS are not followed."""
    if not root.is_dir():
        return
    for current, folders, _files in os.walk(root, followlinks=False):
        keep = []
        for name in sorted(folders):
            if name in SKIP_DIRS:
                continue
            owner = owners.of_folder(name)
            if owner is None:
                keep.append(name)
            else:
                yield Path(current) / name, owner
        folders[:] = keep


def attribute_env(
    config: Config, result: SourceResult, uses: dict[str, set[str]]
) -> list[SourceResult]:
    """One result per entity whose code reads some of the shared ``.env``'s keys, then
    ``shared``'s (keys no code reads, and what is not a key)."""
    keys = {(r.file, r.line): r.key for r in result.records if isinstance(r, EnvKey)}

    def owners(record: Record) -> Iterable[str]:
        if isinstance(record, EnvKey):
            return uses.get(record.key) or ()
        if isinstance(record, SecretFinding):
            return uses.get(keys.get((record.file, record.line), "")) or ()
        return ()

    return _split(config, result, owners)


def env_uses(results: Iterable[SourceResult]) -> dict[str, set[str]]:
    """Environment variable name -> the entities whose code reads it."""
    uses: dict[str, set[str]] = defaultdict(set)
    for result in results:
        if result.kind != "code" or result.entity == SHARED_ENTITY:
            continue
        for record in result.records:
            if isinstance(record, EnvUse):
                uses[record.key].add(result.entity)
    return uses


def _split(
    config: Config, result: SourceResult, owners_of: Callable[[Record], Iterable[str]]
) -> list[SourceResult]:
    by_owner: dict[str, list[Record]] = defaultdict(list)
    for record in result.records:
        for owner in tuple(owners_of(record)) or (SHARED_ENTITY,):
            by_owner[owner].append(
                record if owner == record.entity else replace(record, entity=owner)
            )
    out = [
        replace(result, entity=entity.id, records=tuple(by_owner[entity.id]), errors=())
        for entity in config.entities
        if entity.id in by_owner
    ]
    out.append(replace(result, records=tuple(by_owner.get(SHARED_ENTITY, ()))))
    return out


class _Owners:
    """Which entity a shared code folder belongs to, by its name."""

    def __init__(self, config: Config) -> None:
        self._keys: dict[str, str] = {}
        for entity in config.entities:
            for label in (entity.id, entity.name):
                self._keys.setdefault(_key(label), entity.id)

    def of_folder(self, name: str) -> str | None:
        """The entity a folder's name names (``harbor-charters``, ``harborcharters.com``)."""
        for candidate in (_key(name), _key(name.rsplit(".", 1)[0]) if "." in name else ""):
            if candidate and candidate in self._keys:
                return self._keys[candidate]
        return None


def _key(label: str) -> str:
    return _NOT_ALNUM.sub("", label.lower())
