"""``execbrief send`` as a library function: collect, build, render, check the transport, deliver.

The CLI parses options and prints; everything else happens here, so the same run can be driven
from Python (tests, schedulers) with an injected clock.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import IO, Any

from execbrief.config import Config
from execbrief.delivery import (
    DispatchOptions,
    DispatchResult,
    Outcome,
    Timing,
    dispatch,
    load_guard,
    open_transport,
    outgoing_for,
    snapshot_fingerprints,
)
from execbrief.history import History
from execbrief.plugins import Registry
from execbrief.store.db import Store
from execbrief.transports.base import CheckItem
from execbrief.values import Period


@dataclass
class SendRun:
    """Everything one ``send`` did: build errors, the transport check, and the dispatch result."""

    period: str
    checks: list[CheckItem] = field(default_factory=list)
    build_errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    result: DispatchResult | None = None

    @property
    def check_failed(self) -> bool:
        """True when the transport check found a problem (nothing was sent)."""
        return any(not item.ok for item in self.checks)

    @property
    def outcomes(self) -> list[Outcome]:
        """Each delivery's outcome (empty when nothing was dispatched)."""
        return self.result.outcomes if self.result else []

    @property
    def exit_code(self) -> int:
        """0 all well; 1 a report failed to build, the check failed, or a delivery needs a look."""
        if self.build_errors or self.check_failed:
            return 1
        return self.result.exit_code if self.result else 0

    def to_dict(self) -> dict[str, Any]:
        """JSON data for ``--json``."""
        return {
            "period": self.period,
            "exit_code": self.exit_code,
            "checks": [{"name": c.name, "ok": c.ok, "detail": c.detail} for c in self.checks],
            "build_errors": self.build_errors,
            "warnings": self.warnings,
            **({"run": self.result.to_dict()} if self.result else {}),
        }


def send_reports(
    config: Config,
    registry: Registry,
    *,
    as_of: date,
    timing: Timing,
    names: Sequence[str] = (),
    period: str | None = None,
    options: DispatchOptions | None = None,
    check: bool = True,
    environ: dict[str, str] | None = None,
    progress: Callable[[str], None] | None = None,
    alert_stream: IO[str] | None = None,
    store: Store | None = None,
) -> SendRun:
    """Collect the portfolio as of ``as_of``, build the reports, and deliver them for ``period``.

    The transport is checked first (unless ``check`` is False); a failed check sends nothing.
    """
    from execbrief import pipeline

    options = options or DispatchOptions()
    chosen = Period.parse(period) if period else Period.containing(as_of)
    run = SendRun(period=str(chosen))
    env = dict(os.environ if environ is None else environ)
    report_names = pipeline.report_names(config, registry, names)
    snapshot = pipeline.collect(config, registry, as_of, progress=progress)
    ctx = pipeline.context(snapshot, config, registry, chosen)
    built = pipeline.build(ctx, registry, report_names)
    run.build_errors = [
        item.error or f"report {item.name!r} failed" for item in built if item.document is None
    ]
    documents = [item.document for item in built if item.document is not None]
    owned = store is None
    active = store if store is not None else Store(config.store_path, clock=timing.now)
    try:
        history = History(active)
        threshold = config.history.threshold_percent
        entity_names = {entity.id: entity.name for entity in snapshot.entities}
        documents = [history.with_deltas(doc, threshold, entity_names) for doc in documents]
        return _deliver(
            config,
            registry,
            run,
            documents,
            snapshot,
            history,
            active,
            as_of,
            chosen,
            env,
            timing=timing,
            options=options,
            check=check,
            alert_stream=alert_stream,
        )
    finally:
        if owned:
            active.close()


def _deliver(
    config: Config,
    registry: Registry,
    run: SendRun,
    documents: list[Any],
    snapshot: Any,
    history: History,
    store: Store,
    as_of: date,
    chosen: Period,
    env: dict[str, str],
    *,
    timing: Timing,
    options: DispatchOptions,
    check: bool,
    alert_stream: IO[str] | None,
) -> SendRun:
    from execbrief import pipeline

    outgoing = outgoing_for(
        config, registry, documents, lambda document, fmt: pipeline.render(document, registry, fmt)
    )
    for item in outgoing:
        if not item.recipients:
            run.warnings.append(
                f"report {item.report!r} has no recipients; add to = [...] under [reports.{item.report}]"
            )
    with open_transport(config, registry, env) as transport:
        if check and not options.dry_run:
            run.checks = transport.check()
            if run.check_failed:
                return run
        run_id = None
        guard = None
        if not options.dry_run:
            run_id = store.start_run("send", as_of=as_of.isoformat(), period=str(chosen))
            history.record(run_id, str(chosen), snapshot, documents)
            guard = load_guard(pipeline.fingerprint_key(config), snapshot_fingerprints(snapshot))
        run.result = dispatch(
            outgoing,
            period=str(chosen),
            store=store,
            transport=transport,
            sender=config.delivery.sender,
            operator=config.delivery.operator,
            timing=timing,
            options=options,
            guard=guard,
            as_of=as_of.isoformat(),
            alert_stream=alert_stream,
            run_id=run_id,
        )
    return run
