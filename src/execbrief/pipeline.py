"""collect -> analyze -> build -> render -> deliver: one function per stage.

Time is passed in (``as_of``); nothing here calls ``now()`` except where a caller asks for today.
"""

from __future__ import annotations

import gc
import os
import secrets as _secrets
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from execbrief.config import Config
from execbrief.document import Document
from execbrief.errors import ConfigError, ReportError
from execbrief.plugins import Registry
from execbrief.redaction import Redactor, known_fingerprints, redact_result
from execbrief.reports.base import ReportContext
from execbrief.secretscan import Scanner
from execbrief.snapshot import EntityInfo, Provenance, Snapshot, SourceError, SourceResult
from execbrief.sources.base import SourceRequest
from execbrief.values import Period

Progress = Callable[[str], None]


def fingerprint_key(config: Config) -> bytes:
    """The key for secret fingerprints: ``EXECBRIEF_FINGERPRINT_KEY`` or a file made on first use.

    Fingerprints are keyed HMACs, so a fingerprint cannot be reversed by hashing guesses without the
    key. The file is created with mode 0600 next to the store.
    """
    from_env = os.environ.get("EXECBRIEF_FINGERPRINT_KEY")
    if from_env:
        return from_env.encode()
    path = config.resolve(config.secrets.key_file)
    try:
        return bytes.fromhex(path.read_text().strip())
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        key = _secrets.token_bytes(32)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(key.hex() + "\n")
        return key
    except ValueError:
        raise ConfigError("is not a hex key; delete it to make a new one", path=str(path)) from None


def collect(
    config: Config,
    registry: Registry,
    as_of: date,
    *,
    progress: Progress | None = None,
    key: bytes | None = None,
) -> Snapshot:
    """Run every configured source of every entity; one failing source never stops the others."""
    key = fingerprint_key(config) if key is None else key
    results: list[SourceResult] = []
    frozen_before = gc.get_freeze_count()
    for entity in config.entities:
        for kind, spec in entity.sources.items():
            if progress:
                progress(f"{entity.id}: {kind}")
            source = registry.sources[kind]
            request = SourceRequest(
                entity=entity,
                spec=spec,
                root=config.root,
                as_of=as_of,
                currency=config.portfolio.currency,
                stale_after_days=entity.stale_after_days or config.portfolio.stale_after_days,
                fingerprint_key=key,
                allowlist=tuple(config.secrets.allowlist),
                show_customer_names=config.portfolio.show_customer_names,
            )
            try:
                result = source.collect(request)
            except Exception as exc:  # a bug in one source must not lose the run
                where = spec.paths[0] if spec.paths else spec.key
                last = traceback.extract_tb(exc.__traceback__)[-1]
                result = SourceResult(
                    entity=entity.id,
                    kind=kind,
                    paths=spec.paths,
                    errors=(
                        SourceError(
                            entity=entity.id,
                            source_kind=kind,
                            provenance=Provenance(where),
                            message=(
                                f"the {kind} source failed unexpectedly ({type(exc).__name__} at "
                                f"{Path(last.filename).name}:{last.lineno}); please report this"
                            ),
                        ),
                    ),
                )
            results.append(result)
            # The records kept so far live until the end of the run: freezing them spares every
            # later full garbage collection from rescanning them (collect then grows linearly;
            # bench/collect.py: a third less CPU at 100x the demo).
            gc.freeze()
    if not frozen_before:  # leave a caller's own frozen objects alone
        gc.unfreeze()
    redactor = Redactor(Scanner(key, config.secrets.allowlist), known_fingerprints(results))
    results = [redact_result(result, redactor) for result in results]
    entities = tuple(EntityInfo(e.id, e.name, e.kind, e.stream) for e in config.entities)
    return Snapshot(
        portfolio=config.portfolio.name,
        currency=config.portfolio.currency,
        as_of=as_of,
        entities=entities,
        results=tuple(results),
    )


def context(
    snapshot: Snapshot,
    config: Config,
    registry: Registry,
    period: Period | None = None,
    history: object = None,
) -> ReportContext:
    """The shared context every report of one run builds from."""
    return ReportContext(
        snapshot=snapshot,
        config=config,
        period=period or Period.containing(snapshot.as_of),
        analyses=registry.analyses,
        history=history,
    )


def report_names(config: Config, registry: Registry, wanted: Iterable[str] = ()) -> list[str]:
    """The reports to build: those asked for, else every enabled configured report, else all."""
    chosen = list(wanted)
    for name in chosen:
        if name not in registry.reports:
            raise ConfigError(
                f"no report named {name!r}; run `execbrief reports` to list them", key="--report"
            )
    if chosen:
        return chosen
    configured = [name for name, settings in config.reports.items() if settings.enabled]
    return configured or sorted(registry.reports)


@dataclass(frozen=True)
class Built:
    """A built report, or the error that stopped it."""

    name: str
    document: Document | None
    error: str | None = None


def build(ctx: ReportContext, registry: Registry, names: Iterable[str]) -> list[Built]:
    """Build each named report; one failing report never stops the others."""
    out: list[Built] = []
    for name in names:
        report = registry.reports[name]
        try:
            out.append(Built(name, report.build(ctx)))
        except Exception as exc:
            last = traceback.extract_tb(exc.__traceback__)[-1]
            message = f"report {name!r} failed: {type(exc).__name__}: {exc} ({Path(last.filename).name}:{last.lineno})"
            if isinstance(exc, ReportError):
                message = f"report {name!r} failed: {exc}"
            out.append(Built(name, None, message))
    return out


def render(document: Document, registry: Registry, fmt: str = "text") -> str:
    """Render a document in a registered format."""
    if fmt not in registry.renderers:
        raise ConfigError(
            f"no format named {fmt!r}; expected one of {', '.join(sorted(registry.renderers))}",
            key="--format",
        )
    return str(registry.renderers[fmt].render(document))
