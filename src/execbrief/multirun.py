"""Many portfolios in one run (``send --portfolios GLOB``, ``build --portfolios GLOB``).

Each portfolio runs in a worker process of one pool, through the same ``send_reports`` and
``build_reports`` a single run uses: its own config, its own store, and so its own exactly-once
guarantees. The workers pace their sends on one ``SharedTimeline``, so together they keep the
provider's rate. A portfolio that fails (its config does not load, a worker dies) is one result
with its one-sentence error; the others go on. One exit code covers the run: the highest of the
portfolios' codes, by the single-portfolio rules (0 all well, 1 something needs a look, 2 a
config is invalid).
"""

from __future__ import annotations

import glob
import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal

from execbrief.atomicfile import write_atomic
from execbrief.config import check_period, load_config
from execbrief.delivery.pacing import SharedTimeline, Timing
from execbrief.delivery.results import DeliveryAction, DispatchOptions
from execbrief.errors import ConfigError, ExecbriefError, describe_failure
from execbrief.pipeline import Reading, SendRun, build_reports, redact_config_names, send_reports
from execbrief.plugins import get_registry
from execbrief.values import PeriodParseError

CONFIG_NAME = "portfolio.toml"

#: The summary's count columns and the actions each one counts (a dry run's previews with them).
COLUMNS: dict[str, tuple[DeliveryAction, ...]] = {
    "sent": (
        DeliveryAction.SENT,
        DeliveryAction.WOULD_SEND,
        DeliveryAction.WOULD_SEND_FORCED,
        DeliveryAction.WOULD_SEND_RESEND_UNKNOWN,
    ),
    "skipped": (DeliveryAction.SKIPPED, DeliveryAction.WOULD_SKIP),
    "blocked": (DeliveryAction.BLOCKED, DeliveryAction.WOULD_BLOCK_UNRECONCILED),
    "failed": (DeliveryAction.FAILED,),
    "unknown": (DeliveryAction.UNKNOWN, DeliveryAction.WOULD_SKIP_UNKNOWN),
}
BUILD_COLUMNS = ("built", "failed", "source problems")


@dataclass(frozen=True)
class Plan:
    """What to do in every portfolio: ``send`` (with the dispatch options) or ``build`` (into
    ``out``/<portfolio>, or each portfolio's own ``reports`` folder)."""

    command: Literal["send", "build"]
    today: date
    as_of: date | None = None
    reports: tuple[str, ...] = ()
    cache: bool = True
    period: str | None = None
    options: DispatchOptions = DispatchOptions()
    check: bool = True
    fmt: str = "text"
    out: Path | None = None
    strict: bool = False

    def validate(self) -> None:
        """Refuse a plan no portfolio could run (a ``--period`` that is not one)."""
        if self.period is None:
            return
        try:
            check_period(self.period)
        except PeriodParseError as exc:
            raise ConfigError(f"--period: {exc}") from None


@dataclass(frozen=True)
class Portfolio:
    """One portfolio found by the pattern: its config file and how the summary names it."""

    config: Path
    label: str

    def folder_name(self) -> str:
        """The label as one folder name (``clients/acme`` -> ``clients-acme``)."""
        name = self.label.strip("/").replace("/", "-").replace(os.sep, "-")
        return name if name not in ("", ".", "..") else self.config.resolve().parent.name


@dataclass
class PortfolioResult:
    """What one portfolio's run did: its counts (delivery actions, or reports built), its exit
    code, and the sentences an operator must read (a config error, a failed check, ...)."""

    label: str
    config: str
    exit_code: int
    counts: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    period: str | None = None
    written: str | None = None
    detail: dict[str, Any] | None = None
    #: True when the portfolio did not run at all (its config did not load, its worker died):
    #: its counts are not zeros but unknown, and its first note says why.
    failed: bool = False

    def column(self, name: str) -> int:
        """The count shown under summary column ``name``."""
        actions = COLUMNS.get(name)
        if actions is None:
            return self.counts.get(name, 0)
        return sum(self.counts.get(str(action), 0) for action in actions)

    def others(self) -> dict[str, int]:
        """Counts of the actions no summary column shows (deferred, pending, busy)."""
        shown = {str(action) for actions in COLUMNS.values() for action in actions}
        return {k: v for k, v in self.counts.items() if k not in shown and k not in BUILD_COLUMNS}

    def summary_notes(self) -> list[str]:
        """The sentences the summary shows under the table and ``--json`` carries: the notes,
        then what the columns do not count (``3 busy, 1 deferred``)."""
        others = ", ".join(f"{n} {action}" for action, n in self.others().items())
        return self.notes + ([others] if others else [])

    def to_dict(self) -> dict[str, Any]:
        """JSON data for ``--json``."""
        return {
            "portfolio": self.label,
            "config": self.config,
            "exit_code": self.exit_code,
            "failed": self.failed,
            "period": self.period,
            "counts": self.counts,
            "notes": self.summary_notes(),
            **({"written": self.written} if self.written else {}),
            **({"run": self.detail} if self.detail else {}),
        }


@dataclass
class ManyRun:
    """Every portfolio's result, in the order the pattern found them, and the run's exit code."""

    command: str
    results: list[PortfolioResult]
    dry_run: bool = False

    def title(self) -> str:
        """The summary's title: what was done, for which period (when they share one), where."""
        if self.command == "build":
            return f"Reports built in {len(self.results)} portfolios"
        periods = {result.period for result in self.results if result.period}
        period = f" for {periods.pop()}" if len(periods) == 1 else ""
        dry = " (dry run)" if self.dry_run else ""
        return f"Deliveries{period} in {len(self.results)} portfolios{dry}"

    @property
    def exit_code(self) -> int:
        """The highest of the portfolios' exit codes (0 when every one is well)."""
        return max((result.exit_code for result in self.results), default=0)

    def columns(self) -> tuple[str, ...]:
        """The summary's count columns for this command."""
        return tuple(COLUMNS) if self.command == "send" else BUILD_COLUMNS

    def to_dict(self) -> dict[str, Any]:
        """JSON data for ``--json``."""
        return {
            "command": self.command,
            "dry_run": self.dry_run,
            "exit_code": self.exit_code,
            "portfolios": [result.to_dict() for result in self.results],
        }


def find_portfolios(patterns: str | Sequence[str], cwd: Path | None = None) -> list[Portfolio]:
    """The portfolios ``patterns`` (globs, ``**`` included; several when the shell expanded an
    unquoted one into paths) match: each matched folder holding a portfolio.toml, and each
    matched portfolio.toml (any .toml file when the pattern itself ends in ``.toml``, so
    ``clients/**`` never takes a project's pyproject.toml); sorted, each once."""
    base = cwd or Path.cwd()
    patterns = [patterns] if isinstance(patterns, str) else list(patterns)
    found: dict[Path, Portfolio] = {}
    for pattern in patterns:
        names_a_file = pattern.endswith(".toml")
        for match in sorted(glob.glob(pattern, root_dir=base, recursive=True)):
            path = base / match
            config = path / CONFIG_NAME if path.is_dir() else path
            wanted = config.suffix == ".toml" if names_a_file else config.name == CONFIG_NAME
            if not wanted or not config.is_file():
                continue
            label = _label(Path(match), matched_file=config == path)
            found.setdefault(config.resolve(), Portfolio(config, label))
    if not found:
        raise ConfigError(
            f"--portfolios {' '.join(patterns)!r} matches no portfolio.toml (nor a folder holding "
            "one); quote the pattern so the shell leaves it alone, e.g. 'clients/*'"
        )
    portfolios = list(found.values())
    _check_folder_names(portfolios)
    return portfolios


def _label(match: Path, *, matched_file: bool) -> str:
    """How the summary names a portfolio: its folder, or its file without .toml when the file
    has another name than portfolio.toml (``clients/acme.toml`` is ``clients/acme``)."""
    if not matched_file:
        return str(match)
    return str(match.parent if match.name == CONFIG_NAME else match.with_suffix(""))


def _check_folder_names(portfolios: Sequence[Portfolio]) -> None:
    """Refuse two portfolios whose ``build --out`` folders would be the same one."""
    seen: dict[str, Portfolio] = {}
    for portfolio in portfolios:
        other = seen.setdefault(portfolio.folder_name(), portfolio)
        if other is not portfolio:
            raise ConfigError(
                f"--portfolios: {other.config} and {portfolio.config} would both write to the "
                f"folder {portfolio.folder_name()!r}; give their folders different names"
            )


def run_portfolios(
    portfolios: Sequence[Portfolio],
    plan: Plan,
    *,
    jobs: int,
    clock: Callable[[], datetime],
    on_done: Callable[[PortfolioResult], None] | None = None,
) -> ManyRun:
    """Run ``plan`` in each portfolio on a pool of ``jobs`` worker processes sharing one send
    timeline; ``clock`` stamps what the stores record; ``on_done`` hears of each as it ends.

    A worker that dies (out of memory, killed) breaks the pool and every portfolio still in it;
    those run again, each alone on a fresh worker, so only one that dies alone is reported so.
    """
    context = multiprocessing.get_context("fork")
    pool = _Pool(context, SharedTimeline(context), clock, plan, on_done)
    results = pool.run(list(enumerate(portfolios)), jobs)
    for index, result in list(results.items()):
        if result is None:  # its pool broke: again, alone
            again = pool.run([(index, portfolios[index])], 1)[index]
            results[index] = again or _died(portfolios[index])
    ordered = [results[i] or _died(portfolios[i]) for i in range(len(portfolios))]
    return ManyRun(plan.command, ordered, dry_run=plan.options.dry_run)


@dataclass
class _Pool:
    """Worker pools on one context, one send timeline and one clock."""

    context: Any
    timeline: SharedTimeline
    clock: Callable[[], datetime]
    plan: Plan
    on_done: Callable[[PortfolioResult], None] | None

    def run(
        self, numbered: Sequence[tuple[int, Portfolio]], jobs: int
    ) -> dict[int, PortfolioResult | None]:
        """Each portfolio's result by its number; None for those the pool lost."""
        results: dict[int, PortfolioResult | None] = {}
        with ProcessPoolExecutor(
            max(1, min(jobs, len(numbered))),
            mp_context=self.context,
            initializer=_start_worker,
            initargs=(self.timeline, self.clock),
        ) as pool:
            futures: dict[Future[PortfolioResult], int] = {}
            for i, portfolio in numbered:
                try:
                    futures[pool.submit(run_one, portfolio, self.plan)] = i
                except BrokenProcessPool:  # a worker died before every portfolio was handed out
                    results[i] = None
            for future in as_completed(futures):
                result = results[futures[future]] = _result_of(future)
                if result is not None and self.on_done:
                    self.on_done(result)
        return results


def _result_of(future: Future[PortfolioResult]) -> PortfolioResult | None:
    """The worker's result, or None when its process (or another in the pool) died."""
    try:
        return future.result()
    except BrokenProcessPool:
        return None


def _died(portfolio: Portfolio) -> PortfolioResult:
    note = "its worker process died (out of memory, or killed); run it alone to see why"
    return PortfolioResult(portfolio.label, str(portfolio.config), 1, notes=[note], failed=True)


#: What a worker process was given when it started: the shared timeline and the clock.
_WORKER: dict[str, Any] = {}


def _start_worker(timeline: SharedTimeline, clock: Callable[[], datetime]) -> None:
    _WORKER.update(timeline=timeline, clock=clock)


def run_one(portfolio: Portfolio, plan: Plan) -> PortfolioResult:
    """Run ``plan`` in one portfolio (in a worker process); an error becomes its result."""
    try:
        registry = get_registry()
        config = redact_config_names(load_config(portfolio.config, registry.option_models()))
        as_of = plan.as_of or config.portfolio.as_of or plan.today
        if plan.command == "send":
            return _send(portfolio, plan, config, registry, as_of)
        return _build(portfolio, plan, config, registry, as_of)
    except ExecbriefError as exc:
        return PortfolioResult(
            portfolio.label, str(portfolio.config), exc.exit_code, notes=[str(exc)], failed=True
        )
    except Exception as exc:  # one portfolio's bug must not stop the others
        note = describe_failure("the run", exc, "run this portfolio alone to see the traceback")
        return PortfolioResult(portfolio.label, str(portfolio.config), 1, notes=[note], failed=True)


def _send(
    portfolio: Portfolio, plan: Plan, config: Any, registry: Any, as_of: date
) -> PortfolioResult:
    timing = Timing(now=_WORKER["clock"], shared=_WORKER["timeline"])
    run = send_reports(
        config,
        registry,
        as_of=as_of,
        timing=timing,
        names=plan.reports,
        period=plan.period,
        options=plan.options,
        check=plan.check,
        reading=Reading(jobs=1, cache=plan.cache),
    )
    return PortfolioResult(
        portfolio.label,
        str(portfolio.config),
        run.exit_code,
        counts=run.result.counts() if run.result else {},
        notes=send_notes(run),
        period=run.period,
        detail=run.to_dict(),
    )


def send_notes(run: SendRun) -> list[str]:
    """The sentences of a send an operator must read: build errors, a failed transport check,
    a halt, and what the summary's columns do not count."""
    notes = list(run.build_errors)
    failed = [f"{item.name}: {item.detail}" for item in run.checks if not item.ok]
    if failed:
        notes.append("the transport check failed, so nothing was sent (" + "; ".join(failed) + ")")
    if run.result and run.result.halted:
        notes.append(run.result.halted)
    if run.store_refusal:
        notes.append(run.store_refusal)
    return notes


def _build(
    portfolio: Portfolio, plan: Plan, config: Any, registry: Any, as_of: date
) -> PortfolioResult:
    renderer = registry.renderers.get(plan.fmt)
    if renderer is None:
        known = ", ".join(sorted(registry.renderers))
        raise ConfigError(f"--format {plan.fmt!r} is unknown; expected one of {known}")
    run = build_reports(
        config,
        registry,
        as_of=as_of,
        clock=_WORKER["clock"],
        names=plan.reports,
        reading=Reading(jobs=1, cache=plan.cache),
    )
    target = plan.out / portfolio.folder_name() if plan.out else config.root / "reports"
    target.mkdir(parents=True, exist_ok=True)
    for document in run.documents:
        write_atomic(target / f"{document.report}.{renderer.extension}", renderer.render(document))
    notes = list(run.errors)
    if plan.strict and run.source_problems:
        notes.append(
            f"{run.source_problems} sources have an error or are stale (--strict); "
            f"`execbrief collect -c {portfolio.config}` lists them"
        )
    failed = bool(run.errors) or (plan.strict and run.source_problems > 0)
    counts = dict(
        zip(BUILD_COLUMNS, (len(run.documents), len(run.errors), run.source_problems), strict=True)
    )
    return PortfolioResult(
        portfolio.label, str(portfolio.config), int(failed), counts, notes, written=str(target)
    )
