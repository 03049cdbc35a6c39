"""collect -> analyze -> build -> render -> deliver: one function per stage.

Time is passed in (``as_of``); nothing here calls ``now()`` except where a caller asks for today.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets as _secrets
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import IO, Any, TypeGuard

from execbrief import cyclegc
from execbrief.analysis.forecast import ForecastResult
from execbrief.collecting import Job, code_stamp, gather
from execbrief.config import Config, check_period
from execbrief.delivery.alert import send_alert, write_alert
from execbrief.delivery.dispatch import dispatch
from execbrief.delivery.message import Attachment
from execbrief.delivery.outgoing import HtmlWithCharts, open_transport, outgoing_for
from execbrief.delivery.pacing import Timing
from execbrief.delivery.results import DispatchOptions, DispatchResult, Guard, Outcome
from execbrief.delivery.tracking import TrackResult, track
from execbrief.document import Chart, Document
from execbrief.errors import (
    ConfigError,
    GuardUnavailable,
    ReportError,
    StoreError,
    describe_failure,
)
from execbrief.findings import Acceptance, Finding, acceptance_for, stale_acceptances
from execbrief.history.forecasts import ForecastHistory, StoredWeek
from execbrief.history.runs import History
from execbrief.plugins import Registry
from execbrief.renderers.base import Renderer
from execbrief.renderers.html import HtmlRenderer
from execbrief.renderers.png import chart_images
from execbrief.reports.base import ReportContext
from execbrief.secrets.redaction import (
    Redactor,
    scan_free_text,
)
from execbrief.secrets.scanner import Scanner
from execbrief.sharedsources import collect_shared
from execbrief.snapshot import EntityInfo, Provenance, Snapshot
from execbrief.store.db import Store
from execbrief.store.sourcecache import SourceCache
from execbrief.transports.base import CheckItem, EventSource
from execbrief.values import Period

Progress = Callable[[str], None]


def _key_from_env(value: str) -> bytes:
    """The variable's key: the key file's hex text (copied from ``.execbrief/fingerprint.key``,
    so CI fingerprints match local ones), else the string itself."""
    text = value.strip()
    if len(text) == 64:
        try:
            return bytes.fromhex(text)
        except ValueError:
            pass
    return value.encode()


def fingerprint_key(config: Config) -> bytes:
    """The key for secret fingerprints: ``EXECBRIEF_FINGERPRINT_KEY`` or a file made on first use.

    Fingerprints are keyed HMACs, so a fingerprint cannot be reversed by hashing guesses without the
    key. The file is created with mode 0600 next to the store.
    """
    from_env = os.environ.get("EXECBRIEF_FINGERPRINT_KEY")
    if from_env:
        return _key_from_env(from_env)
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


def redact_config_names(config: Config) -> Config:
    """The config with any secret in a name people read replaced by its marker, in place: the
    portfolio's name, each entity's name and notes, each report's subject. Names reach every
    report, the store and history, so they are cleaned where the config enters the run. The
    fingerprint key is only read (or made) when a name holds a secret."""
    texts = [config.portfolio.name]
    texts += [text for e in config.entities for text in (e.name, e.notes) if text]
    texts += [r.subject for r in config.reports.values() if r.subject]
    if not any(scan_free_text(text, Scanner(b""), str(config.path)) for text in texts):
        return config
    redactor = Redactor(Scanner(fingerprint_key(config), config.secrets.allowlist))
    where = Provenance(str(config.path))
    config.portfolio.name = redactor.clean(config.portfolio.name, where)
    for entity in config.entities:
        entity.name = redactor.clean(entity.name, where)
        entity.notes = entity.notes and redactor.clean(entity.notes, where)
    for report in config.reports.values():
        report.subject = report.subject and redactor.clean(report.subject, where)
    return config


def collect(
    config: Config,
    registry: Registry,
    as_of: date,
    *,
    progress: Progress | None = None,
    key: bytes | None = None,
    jobs: int = 1,
    cache: SourceCache | None = None,
    now: str = "",
) -> Snapshot:
    """Run every configured source of every entity; one failing source never stops the others.

    ``jobs`` above 1 reads the entities on that many worker processes (the same snapshot as a
    serial run). With a ``cache`` (``open_cache``), a source whose files are unchanged since a
    run kept it is not read again; ``now`` stamps what is kept.
    """
    key = fingerprint_key(config) if key is None else key
    redact_config_names(config)  # a no-op when the CLI has done it
    job = Job(config, registry, as_of, key)
    results = gather(
        job, jobs, cache, now, progress, lambda own: collect_shared(job, own, progress)
    )
    entities = tuple(EntityInfo(e.id, e.name, e.kind, e.stream) for e in config.entities)
    return Snapshot(
        portfolio=config.portfolio.name,
        currency=config.portfolio.currency,
        as_of=as_of,
        entities=entities,
        results=tuple(results),
    )


@dataclass(frozen=True)
class Reading:
    """How a run reads its sources: on how many processes, and whether through the store's cache."""

    jobs: int = 1
    cache: bool = False


@contextmanager
def collecting(
    config: Config, reading: Reading, clock: Callable[[], datetime]
) -> Iterator[dict[str, Any]]:
    """The keyword arguments for ``collect`` that ``reading`` asks for; with the cache, the store
    is open for the block (and what was read is kept when the block ends without error)."""
    if not reading.cache:
        yield {"jobs": reading.jobs}
        return
    with Store(config.store_path, clock=clock) as store:
        cache = SourceCache(store, fingerprint_key(config), store.now())
        yield {"jobs": reading.jobs, "cache": cache, "now": cache.stamp}


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
        period=period or Period.last_complete(snapshot.as_of),
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


def build(
    ctx: ReportContext,
    registry: Registry,
    names: Iterable[str],
    progress: Progress | None = None,
) -> list[Built]:
    """Build each named report; one failing report never stops the others. ``progress`` hears
    "building <report>" before each (the analyses run inside the first report that needs them)."""
    out: list[Built] = []
    # The snapshot and the analyses' results live until the end of the run and hold no reference
    # cycles, yet every full collection the analyses' allocations set off rescanned all of them
    # made so far: a third of the build at 1,000 entities. The cycle collector waits until the
    # reports are built (a cycle made meanwhile is collected then); a run freezes what it made
    # (``built_for_the_run``).
    with cyclegc.paused():
        for name in names:
            if progress is not None:
                progress(f"building {name}")
            out.append(_build_one(ctx, registry, name))
    return out


def built_for_the_run() -> AbstractContextManager[None]:
    """The block that builds a run's reports (inside the run's ``cyclegc.until_done``): what it
    made (documents, analyses' results, and the snapshot under them) lives to the end of the run
    and is frozen when the block ends, so that the collections after it do not scan all of it
    again (the first two did: 1.9 s at 1,000 entities, as much as the slowest analysis)."""
    return cyclegc.paused(keep=True)


def _build_one(ctx: ReportContext, registry: Registry, name: str) -> Built:
    report = registry.reports[name]
    ctx.begin_report()
    try:
        return Built(name, report.build(ctx))
    except Exception as exc:
        message = describe_failure(f"report {name!r}", exc, quote=True)
        if isinstance(exc, ReportError):
            message = f"report {name!r} failed: {exc}"
        return Built(name, None, message)


def built_key(ctx: ReportContext, names: Sequence[str], cache: SourceCache | None) -> str | None:
    """What the reports built from ``ctx`` are kept under: the snapshot's digest (same sources),
    the config, the period and the code; None without a cache whose collect gave a digest."""
    if cache is None or cache.snapshot_digest is None:
        return None
    material = [
        cache.snapshot_digest,
        code_stamp(),
        ctx.config.model_dump_json(),
        ctx.config.path.read_text(encoding="utf-8", errors="replace"),
        str(ctx.period),
        list(names),
        _past_forecast(ctx),  # a send since stores a new forecast: the reports differ
    ]
    return hashlib.sha256(json.dumps(material).encode()).hexdigest()


def build_once(
    ctx: ReportContext,
    registry: Registry,
    names: Sequence[str],
    cache: SourceCache | None,
    progress: Progress | None = None,
) -> list[Built]:
    """``build``, or with a cache whose collect saw a snapshot seen before (same sources, same
    config, same period, same code), the reports that run built: analysis is pure, so they are
    the same. Only builds without a failed report are kept."""
    key = built_key(ctx, names, cache)
    if cache is None or key is None:
        return build(ctx, registry, names, progress)
    found = cache.built(key)
    if isinstance(found, list) and all(isinstance(item, Built) for item in found):
        for name in names:
            if progress is not None:
                progress(f"building {name}")
        return found
    built = build(ctx, registry, names, progress)
    if all(item.document is not None for item in built):
        cache.keep_built(key, built, cache.stamp)
    return built


def _texts_of(found: Any, count: int) -> TypeGuard[list[str]]:
    """Whether a kept row holds ``count`` rendered texts."""
    return (
        isinstance(found, list) and len(found) == count and all(isinstance(t, str) for t in found)
    )


def _past_forecast(ctx: ReportContext) -> str:
    """The stored forecast a build's reports read (``ctx.history``), as text for a cache key."""
    if not isinstance(ctx.history, ForecastHistory):
        return ""
    return repr(ctx.history.forecast_before(ctx.as_of))


@dataclass
class BuildRun:
    """What ``execbrief build`` made: the documents (with "Since last report" from the store's
    history when one exists) and one error sentence per report that failed."""

    documents: list[Document]
    errors: list[str]
    #: Sources with an error or past their freshness limit (``build --strict`` exits 1).
    source_problems: int = 0
    #: Each document rendered, in order, when ``build_reports`` was given a renderer.
    texts: list[str] = field(default_factory=list)


def build_reports(
    config: Config,
    registry: Registry,
    *,
    as_of: date,
    clock: Callable[[], datetime],
    names: Sequence[str] = (),
    progress: Progress | None = None,
    reading: Reading = Reading(),
    renderer: Renderer | None = None,
) -> BuildRun:
    """Collect as of ``as_of`` and build the named reports (all configured ones by default);
    ``clock`` stamps anything the store writes when it opens; ``reading`` says how to read.
    With a ``renderer`` the documents are rendered too (``render_once``)."""
    wanted = report_names(config, registry, names)
    with collecting(config, reading, clock) as how, cyclegc.until_done():
        snapshot = collect(config, registry, as_of, progress=progress, **how)
        cache = how.get("cache")
        with stored_forecasts(config, clock) as past:  # read only: build stores nothing
            ctx = context(snapshot, config, registry, history=past)
            key = built_key(ctx, wanted, cache)
            with built_for_the_run():
                built = build_once(ctx, registry, wanted, cache, progress)
        built_documents = [i.document for i in built if i.document]
        documents = with_stored_deltas(config, clock, built_documents)
        texts: list[str] = []
        if renderer is not None:
            unchanged = all(a is b for a, b in zip(documents, built_documents, strict=True))
            kept = (cache, key) if cache is not None and key is not None and unchanged else None
            texts = render_once(renderer, documents, kept)
    errors = [item.error or "" for item in built if item.document is None]
    stale = snapshot.stale_sources()
    problems = sum(1 for r in snapshot.results if r.errors or r in stale)
    return BuildRun(documents, errors, problems, texts)


def render_once(
    renderer: Renderer,
    documents: list[Document],
    kept: tuple[SourceCache, str] | None = None,
) -> list[str]:
    """Each document rendered, or, with ``kept`` (the cache and the key the documents were built
    under, no "Since last report" added since), the text a run that built them kept for this
    format: rendering is deterministic, so it is the same. Only execbrief's own renderers are kept
    (a plugin's code is not in the key). Rendering stays in this process: a forked worker copies
    every page it touches (at 1,000 entities rendering on one took the process tree from 762 to
    1,440 MB), for less time than the text renderer's own speed-ups saved."""
    if kept is not None and not type(renderer).__module__.startswith("execbrief."):
        kept = None
    where = f"{kept[1]}:{renderer.name}" if kept is not None else ""
    found = kept[0].built(where) if kept is not None else None
    if _texts_of(found, len(documents)):
        return found
    with cyclegc.paused():  # rendering makes no cycles: no rescans of the documents and snapshot
        texts = [str(renderer.render(document)) for document in documents]
    if kept is not None:
        kept[0].keep_built(where, texts, kept[0].stamp)
    return texts


@contextmanager
def stored_forecasts(
    config: Config, clock: Callable[[], datetime]
) -> Iterator[ForecastHistory | None]:
    """The forecasts earlier ``send`` runs stored, for a ``build`` to set the last one against
    what happened as the sent report does (None without a store with runs)."""
    if not config.store_path.is_file():
        yield None
        return
    with Store(config.store_path, clock=clock) as store:
        yield ForecastHistory(store) if store.has_runs() else None


def with_stored_deltas(
    config: Config, clock: Callable[[], datetime], documents: list[Document]
) -> list[Document]:
    """Documents with "Since last report" from the store's history, when a store exists (a
    preview never records anything; only ``send`` does)."""
    if not config.store_path.is_file():
        return documents
    with Store(config.store_path, clock=clock) as store:
        if not store.has_runs():  # a store that only caches sources has no history to compare
            return documents
        history = History(store)
        names = {entity.id: entity.name for entity in config.entities}
        threshold = config.history.threshold_percent
        return [history.with_deltas(d, threshold, names) for d in documents]


def render(document: Document, registry: Registry, fmt: str = "text") -> str:
    """Render a document in a registered format."""
    if fmt not in registry.renderers:
        raise ConfigError(
            f"no format named {fmt!r}; expected one of {', '.join(sorted(registry.renderers))}",
            key="--format",
        )
    return str(registry.renderers[fmt].render(document))


def html_with_charts(registry: Registry) -> HtmlWithCharts | None:
    """The mail's HTML body with charts as CID-attached PNG, when the registered HTML renderer
    is the bundled one (a plugin's HTML renderer is used as it is)."""
    renderer = registry.renderers.get("html")
    if not isinstance(renderer, HtmlRenderer):
        return None
    html = renderer

    def draw(body: Document, charts: tuple[Chart, ...]) -> tuple[str, tuple[Attachment, ...]]:
        images = chart_images(charts)  # empty without matplotlib: the mail has no charts
        inline = tuple(
            Attachment(f"chart-{n}.png", image.png, "image/png", image.content_id)
            for n, image in enumerate(images, 1)
        )
        return html.render(body, images), inline

    return draw


@dataclass
class SendRun:
    """Everything one ``send`` did: build errors, the transport check, and the dispatch result."""

    period: str
    checks: list[CheckItem] = field(default_factory=list)
    build_errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    result: DispatchResult | None = None
    #: Set once the deliveries begin (a store refusal after it may follow sends).
    dispatching: bool = False
    #: The sentence of a store refusal after the deliveries (storing the run's forecast).
    store_refusal: str | None = None

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
        if self.build_errors or self.check_failed or self.store_refusal:
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
            "store_refusal": self.store_refusal,
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
    reading: Reading = Reading(),
) -> SendRun:
    """Collect the portfolio as of ``as_of``, build the reports, and deliver them for ``period``.

    The transport is checked first (unless ``check`` is False); a failed check sends nothing.
    """
    options = options or DispatchOptions()
    chosen = check_period(period) if period else Period.last_complete(as_of)
    if chosen.months()[-1] < Period.last_complete(as_of):  # windows end with the period named
        as_of = chosen.end  # a past period's report reads as of its last day
    run = SendRun(period=str(chosen))
    env = dict(os.environ if environ is None else environ)
    wanted = report_names(config, registry, names)
    with (
        store_refusals_alerted(config, registry, env, run, timing, alert_stream),
        cyclegc.until_done(),
    ):
        with collecting(config, reading, timing.now) as how:
            snapshot = collect(config, registry, as_of, progress=progress, **how)
        owned = store is None
        active = store if store is not None else Store(config.store_path, clock=timing.now)
        try:
            forecasts = ForecastHistory(active)  # reports set the last forecast against actuals
            ctx = context(snapshot, config, registry, chosen, forecasts)
            with built_for_the_run():
                built = build(
                    ctx, registry, wanted
                )  # never reused: a send's CFO reads stored forecasts
            run.build_errors = [
                item.error or f"report {item.name!r} failed"
                for item in built
                if item.document is None
            ]
            documents = [item.document for item in built if item.document is not None]
            history = History(active)
            threshold = config.history.threshold_percent
            entity_names = {entity.id: entity.name for entity in snapshot.entities}
            variants = [  # each recipient's mail compares with the last report they received
                variant
                for doc in documents
                for variant in history.for_recipients(
                    doc, recipients_of(config, doc.report), threshold, entity_names
                )
            ]
            sent = _deliver(
                config,
                registry,
                run,
                variants,
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
            record_forecast(forecasts, sent, ctx)
            return sent
        finally:
            if owned:
                active.close()
    return run  # a refusal after the deliveries: they stand, and the run says it


@contextmanager
def store_refusals_alerted(
    config: Config,
    registry: Registry,
    env: dict[str, str],
    run: SendRun,
    timing: Timing,
    alert_stream: IO[str] | None,
) -> Iterator[None]:
    """A store refusal outside the deliveries (dispatch words its own) alerts the operator,
    through the transport when it opens, else on stderr. Before any delivery (a read-only store,
    a full disk while reading): re-raised as one sentence saying nothing was sent and who was
    told. After the deliveries (storing the forecast): they stand, and the run ends in its
    sentence and exit code 1."""
    try:
        yield
    except StoreError as exc:
        if run.result is None and not run.dispatching:
            sentence = f"{exc}; nothing was sent"
        elif run.result is None:
            sentence = f"{exc}; `execbrief history` shows what went out"
        else:
            sentence = f"{exc}; the deliveries made stand"
        result = DispatchResult(period=run.period, halted=sentence)
        if run.result is not None and str(exc) in (run.result.halted or ""):
            result.alerts = list(run.result.alerts)  # the run's alert named this refusal already
        else:
            _alert_operator(config, registry, env, result, timing, alert_stream)
        told = f" (operator: {'; '.join(result.alerts)})" if result.alerts else ""
        if run.result is None:
            raise StoreError(sentence + told) from None
        run.store_refusal = sentence + told


def _alert_operator(
    config: Config,
    registry: Registry,
    env: dict[str, str],
    result: DispatchResult,
    timing: Timing,
    stream: IO[str] | None,
) -> None:
    """Send ``result``'s alert through the configured transport, or write it to ``stream``
    when the transport cannot be opened."""
    try:
        from execbrief.secrets.guard import SecretGuard

        guard = SecretGuard(fingerprint_key(config), frozenset())  # the alert quotes no source
        with open_transport(config, registry, env) as transport:
            limiter = timing.limiter(transport.limits().max_send_rate)
            send_alert(
                result,
                transport,
                config.delivery.sender,
                config.delivery.operator,
                timing,
                limiter,
                guard,
                stream,
                transport_down=False,
            )
    except Exception:  # the transport (or the guard) will not open: the alert goes to stderr
        if not result.alerts:
            write_alert(result, stream)


def record_forecast(forecasts: ForecastHistory, run: SendRun, ctx: ReportContext) -> None:
    """Store the run's forecast (when a send run was recorded and the forecast analysis ran)."""
    if run.result is None or run.result.run_id is None or "forecast" not in ctx.analyses:
        return
    result = ctx.analysis("forecast")
    if isinstance(result, ForecastResult):
        weeks = (
            StoredWeek(
                f.entity,
                ctx.as_of,
                w.number,
                w.start,
                w.end,
                w.opening,
                w.inflow,
                w.outflow,
                w.closing,
            )
            for f in result.all
            for w in f.weeks
        )
        forecasts.record(run.result.run_id, run.period, weeks)


def recipients_of(config: Config, report: str) -> list[str]:
    """Everyone ``report`` is configured to go to (to, cc and bcc)."""
    settings = config.reports.get(report)
    return list(settings.recipients) if settings is not None else []


def _deliver(
    config: Config,
    registry: Registry,
    run: SendRun,
    variants: list[tuple[Document, tuple[str, ...]]],
    snapshot: Snapshot,
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
    outgoing = [
        replace(item, recipients=people) if people else item
        for item, (_, people) in zip(
            outgoing_for(
                config,
                registry,
                [document for document, _ in variants],
                lambda document, fmt: render(document, registry, fmt),
                html_with_charts(registry),
            ),
            variants,
            strict=True,
        )
    ]
    # the store keeps one document per report: the one its first recipients got
    first: dict[str, Document] = {}
    for document, _ in variants:
        first.setdefault(document.report, document)
    documents = list(first.values())
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
        guard = load_guard(fingerprint_key(config), snapshot)
        if not options.dry_run:
            run_id = store.start_run("send", as_of=as_of.isoformat(), period=str(chosen))
            history.record(run_id, str(chosen), snapshot, documents)
        run.dispatching = True
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


def load_guard(key: bytes, snapshot: Snapshot) -> Guard:
    """The outgoing secret guard, armed with every fingerprint the run saw.

    It is imported here, not at the top, so that a guard that cannot load stops the send with one
    clear sentence instead of stopping every command; it is never skipped.
    """
    try:
        from execbrief.secrets.guard import SecretGuard, known_fingerprints
    except Exception as exc:
        raise GuardUnavailable(
            f"the outgoing secret guard could not load ({type(exc).__name__}: {exc}); nothing was "
            "sent; reinstall execbrief (pip install -e .) and run send again"
        ) from exc
    return SecretGuard(key, known_fingerprints(snapshot))


def track_events(
    config: Config, registry: Registry, store: Store, environ: dict[str, str], wait_seconds: int = 1
) -> TrackResult:
    """Apply the configured transport's provider events (delivered, bounced, ...) to the store.

    Raises ConfigError when the transport has no events to read (the outbox, SMTP).
    """
    with open_transport(config, registry, environ) as transport:
        if not isinstance(transport, EventSource):
            raise ConfigError(
                f"the {transport.name} transport has no provider events to track; `execbrief track`"
                " needs a transport whose provider reports deliveries and bounces (ses, with"
                " events_queue_url under [delivery.ses]; docs/delivery.md)",
                path=str(config.path),
                key="delivery.transport",
            )
        return track(store, transport.events(wait_seconds=wait_seconds))


@dataclass(frozen=True)
class FindingRow:
    """One current finding for ``execbrief findings``: which analysis found it, and whether an
    acceptance in force covers it."""

    finding: Finding
    analysis: str
    accepted: Acceptance | None

    def to_dict(self) -> dict[str, Any]:
        """JSON data."""
        return {
            "id": self.finding.id,
            "severity": self.finding.severity.value,
            "status": "accepted" if self.accepted else "open",
            "entity": self.finding.entity,
            "title": self.finding.title,
            "analysis": self.analysis,
            "reason": self.accepted.reason if self.accepted else None,
            "until": self.accepted.until.isoformat()
            if self.accepted and self.accepted.until
            else None,
        }


def current_findings(
    config: Config, registry: Registry, as_of: date, progress: Progress | None = None
) -> tuple[list[FindingRow], list[str]]:
    """Every finding every analysis gives as of ``as_of`` (each id once, most severe first),
    and one sentence per acceptance that has expired or matches no finding."""
    snapshot = collect(config, registry, as_of, progress=progress)
    acceptances = context(snapshot, config, registry).acceptances()
    rows: dict[str, FindingRow] = {}
    for name, analysis in sorted(registry.analyses.items()):
        if progress:
            progress(f"analysing {name}")
        for finding in analysis.analyze(snapshot, config).findings:
            accepted = acceptance_for(finding.id, acceptances, as_of)
            rows.setdefault(finding.id, FindingRow(finding, name, accepted))
    ordered = sorted(rows.values(), key=lambda r: (r.finding.severity.rank, r.finding.id))
    return ordered, stale_acceptances(acceptances, set(rows), as_of)
