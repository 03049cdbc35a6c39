"""The portfolio's ``[shared]`` sources: one ``.env`` or code tree for every business, read once.

A founder keeps one ``repos.env`` and one ``repos/`` tree for all the businesses. ``[shared]``
names them once; after every entity's own sources are read, each shared source is read once
(code first), and its records are attributed:

- **code**: a file belongs to the entity whose id, name or site domain is a folder on its path
  (``repos/harbor-charters/app.py``, ``sites/harborcharters.com/tools/quote/lambda_function.py``);
  letters and digits are compared, case and punctuation ignored, a domain's suffix dropped.
- **env**: a key belongs to every entity whose code (its own ``code`` source, or shared code
  attributed to it) reads that variable (``process.env.KEY``, ``os.environ["KEY"]``, a quoted
  ``"KEY"``: ``sources.codeaudit.envrefs``), and a secret on that key's line goes with it.

What no entity claims stays with the portfolio, under the entity id ``shared``
(:data:`execbrief.config.SHARED_ENTITY`): a secret nobody's code reads is still a finding. Each
shared source's errors are reported once, under ``shared``.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace

from execbrief.collecting import Job, collect_source, request_for
from execbrief.config import SHARED_ENTITY, Config, Entity
from execbrief.records.code import EnvUse
from execbrief.records.secrets import EnvKey, SecretFinding
from execbrief.snapshot import Record, SourceResult
from execbrief.sources.base import SharedReads

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
        if progress:
            progress("shared: code")
        code = collect_source(job, request_for(job, entity, specs["code"], reads))
        out.extend(attribute_code(job.config, code))
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


def attribute_code(config: Config, result: SourceResult) -> list[SourceResult]:
    """One result per entity owning some of the shared code's files, then ``shared``'s."""
    owners = _Owners(config)
    return _split(config, result, lambda record: owners.of(record.provenance.source))


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
    config: Config, result: SourceResult, owners_of: Callable[[Record], Iterable[str] | str | None]
) -> list[SourceResult]:
    by_owner: dict[str, list[Record]] = defaultdict(list)
    for record in result.records:
        owners = owners_of(record)
        found = (owners,) if isinstance(owners, str) else tuple(owners or ())
        for owner in found or (SHARED_ENTITY,):
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
    """Which entity a shared code file belongs to, by the folders on its path."""

    def __init__(self, config: Config) -> None:
        self._keys: dict[str, str] = {}
        for entity in config.entities:
            for label in (entity.id, entity.name):
                self._keys.setdefault(_key(label), entity.id)

    def of(self, path: str) -> str | None:
        """The entity owning ``path`` (its deepest folder that names one), or None."""
        for part in reversed(path.replace("\\", "/").split("/")[:-1]):
            for candidate in (_key(part), _key(part.rsplit(".", 1)[0]) if "." in part else ""):
                if candidate and candidate in self._keys:
                    return self._keys[candidate]
        return None


def _key(label: str) -> str:
    return _NOT_ALNUM.sub("", label.lower())
