"""The ``execbrief`` command line: a thin click group that parses options, calls the library and
prints with rich. Imports of heavy modules happen inside commands."""

from __future__ import annotations

import atexit
import gc
import json
import os
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, NoReturn

import click

from execbrief.atomicfile import write_atomic
from execbrief.delivery.results import DeliveryAction
from execbrief.errors import ExecbriefError
from execbrief.store.status import DeliveryStatus

if TYPE_CHECKING:
    from rich.console import Console

    from execbrief.config import Config
    from execbrief.multirun import Plan
    from execbrief.pipeline import SendRun
    from execbrief.plugins import Registry
    from execbrief.store.db import Store

DEFAULT_CONFIG = "portfolio.toml"


def console(stderr: bool = False, force_terminal: bool | None = None) -> Console:
    """A rich console (stderr for messages, stdout for results)."""
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=True, force_terminal=force_terminal)


def fail(message: str, code: int = 2) -> NoReturn:
    """Print one clear error sentence and exit with ``code``."""
    from rich.markup import escape

    # messages name config sections ("[delivery.smtp]"): print them as written, not as markup
    console(stderr=True).print(
        f"[bold red]error:[/] {escape(message)}", markup=True, highlight=False
    )
    sys.exit(code)


@contextmanager
def errors_as_exit() -> Iterator[None]:
    """Turn execbrief errors into one-line messages and their exit codes."""
    try:
        yield
    except ExecbriefError as exc:
        fail(str(exc), exc.exit_code)


def load_env_file(env_file: str | None) -> None:
    """Load the optional dotenv file into the environment (set variables win)."""
    if env_file:
        from dotenv import load_dotenv

        if not Path(env_file).is_file():
            fail(f"{env_file}: no such env file; pass --env-file PATH to a dotenv file")
        load_dotenv(env_file, override=False)


@dataclass
class Loaded:
    """A loaded config with its registry."""

    config: Config
    registry: Registry


def load(config_path: str, env_file: str | None = None) -> Loaded:
    """Load the registry, the optional dotenv file (into the environment) and the config."""
    from execbrief.config import load_config
    from execbrief.pipeline import redact_config_names
    from execbrief.plugins import get_registry

    load_env_file(env_file)
    registry = get_registry()
    config = redact_config_names(load_config(config_path, registry.option_models()))
    return Loaded(config, registry)


#: The settings of a command with ``--portfolios``: the paths after it are taken as more
#: portfolios (an unquoted ``clients/*`` the shell expanded to ``clients/a clients/b ...``).
MANY_PORTFOLIOS = {"allow_extra_args": True}


def portfolio_patterns(pattern: str | None) -> list[str] | None:
    """``--portfolios GLOB`` and the paths after it (the rest of a pattern the shell expanded);
    None without ``--portfolios``, where extra arguments stay the usage error they are."""
    extra = click.get_current_context().args
    if pattern is None:
        if extra:
            raise click.UsageError(f"Got unexpected extra arguments ({' '.join(extra)})")
        return None
    stray = [arg for arg in extra if not Path(arg).exists()]
    if stray:  # the shell expands a pattern to paths that exist: this is something else
        raise click.UsageError(
            f"Got unexpected extra arguments ({' '.join(stray)}): after --portfolios only the "
            "paths an unquoted pattern expands to may follow; quote the pattern ('clients/*') "
            "and give other values with their option"
        )
    return [pattern, *extra]


def portfolios_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """``--portfolios GLOB``: run many portfolios at once (instead of -c/--config)."""
    return click.option(
        "--portfolios",
        "portfolios",
        default=None,
        metavar="GLOB",
        help="Run every portfolio GLOB matches (portfolio.toml files, or folders holding one; "
        "quote it: 'clients/*', or the paths the shell expanded it to are taken as well), --jobs "
        "at once, each with its own store; print one summary. Not with -c/--config.",
    )(func)


def open_store(config: Config) -> Store:
    """The portfolio's store, with the wall clock (the CLI is where the clock is read)."""
    from execbrief.store.db import Store

    return Store(config.store_path, clock=lambda: datetime.now(UTC))


def parse_as_of(value: str | None, config: Config | None = None) -> date:
    """``--as-of`` as a date; else the config's ``[portfolio] as_of``; else today (the one place
    the CLI reads the calendar)."""
    if value is None:
        if config is not None and config.portfolio.as_of is not None:
            return config.portfolio.as_of
        return date.today()
    from execbrief.config import check_as_of

    try:
        parsed = date.fromisoformat(value)
    except ValueError:
        fail(f"--as-of {value!r} is not a date; expected YYYY-MM-DD")
    try:
        return check_as_of(parsed)
    except ValueError as exc:
        fail(f"--as-of {exc}")


def config_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """``-c/--config`` and ``--env-file`` options."""
    func = click.option(
        "--env-file",
        type=click.Path(dir_okay=False),
        default=None,
        help="A dotenv file whose variables (EXECBRIEF_SENDER, AWS_REGION, ...) are loaded first.",
    )(func)
    return click.option(
        "-c",
        "--config",
        "config_path",
        default=DEFAULT_CONFIG,
        show_default=True,
        type=click.Path(dir_okay=False),
        help="The portfolio.toml to use.",
    )(func)


def as_of_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """``--as-of DATE``."""
    return click.option(
        "--as-of",
        "as_of",
        default=None,
        metavar="DATE",
        help="Report date (YYYY-MM-DD); wins over [portfolio] as_of, which is the default "
        "(without either, today).",
    )(func)


def reading_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """``--jobs N`` and ``--no-cache``: how the sources are read."""
    func = click.option(
        "--no-cache",
        is_flag=True,
        help="Read every source again, even files unchanged since the last run.",
    )(func)
    return click.option(
        "--jobs",
        type=click.IntRange(min=1),
        default=None,
        metavar="N",
        help=(
            "Read entities on N worker processes (default: the number of cores); with "
            "--portfolios, run N portfolios at once."
        ),
    )(func)


def reading_for(jobs: int | None, no_cache: bool) -> Any:
    """The ``Reading`` the options ask for."""
    from execbrief.collecting import default_jobs
    from execbrief.pipeline import Reading

    return Reading(jobs=jobs or default_jobs(), cache=not no_cache)


def print_json(data: Any) -> None:
    """Print data as indented JSON on stdout."""
    click.echo(json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False))


#: ``always`` shows progress even when stderr is not a terminal (tests, CI logs), ``never``
#: hides it; unset, it is shown on a terminal only.
PROGRESS_ENV = "EXECBRIEF_PROGRESS"


def progress_mode() -> str:
    """``always``, ``never`` or ``terminal``, from ``EXECBRIEF_PROGRESS``."""
    mode = os.environ.get(PROGRESS_ENV, "").strip().lower()
    return mode if mode in ("always", "never") else "terminal"


def progress_shown(*, enabled: bool = True) -> bool:
    """Whether progress goes to stderr: never when not ``enabled`` (``--json``) or
    ``EXECBRIEF_PROGRESS=never``; with ``always`` even when stderr is not a terminal; else on a
    terminal only."""
    mode = progress_mode()
    return enabled and mode != "never" and (mode == "always" or sys.stderr.isatty())


@contextmanager
def progress_bar(
    label: str, total: int | None = None, *, enabled: bool = True
) -> Iterator[Callable[[str], None]]:
    """A rich progress bar on stderr; yields a callback taking a step description. While it is
    shown, a big file being read shows how far it has got ("12.4 / 50.0 MB  (123,456 lines)")."""
    mode = progress_mode()
    if not progress_shown(enabled=enabled):
        yield lambda _step: None
        return
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
    from rich.table import Column

    from execbrief.sources.files import reporting_reads

    with Progress(
        SpinnerColumn(),
        TextColumn("[bold]{task.description}"),
        BarColumn(bar_width=PROGRESS_BAR_WIDTH),
        TextColumn("{task.fields[step]}", table_column=Column(no_wrap=True, overflow="ellipsis")),
        TimeElapsedColumn(),
        console=console(stderr=True, force_terminal=mode == "always" or None),
        transient=True,
    ) as bar:
        task = bar.add_task(label, total=total, step="")
        file_rows = FileRows(bar)

        def advance(step: str) -> None:
            file_rows.clear()  # the source before is done (on a pool, a file still read is back soon)
            bar.update(task, advance=1, step=step)

        with reporting_reads(file_rows.show):
            yield advance


PROGRESS_BAR_WIDTH = 10
#: What a row takes besides its name: the spinner, the bar, the figures, the time, the gaps.
PROGRESS_ROW_WIDTH = 1 + PROGRESS_BAR_WIDTH + 30 + 7 + 4


class FileRows:
    """One row of the progress bar per big file being read: its source and name, a bar of the
    bytes read, and the figures ("12.4 / 50.0 MB (123,456 lines)"); gone when the file ends.
    Reports from a pool's workers arrive on another thread than the steps: a lock keeps the
    rows whole."""

    def __init__(self, bar: Any) -> None:
        self.bar = bar
        self.rows: dict[str, Any] = {}
        self.lock = threading.Lock()

    def show(self, name: str, done: int, size: int | None, lines: int) -> None:
        from execbrief.sources.files import REDACTING

        if name.endswith(f" · {REDACTING}"):  # a long redaction's row counts records
            step = f"{done:,} / {size or done:,} records"
        else:
            step = read_figures(done, size, lines)
        with self.lock:
            row = self.rows.get(name)
            if row is None:
                title = fitting_name(name, self.bar.console.width - PROGRESS_ROW_WIDTH)
                row = self.rows[name] = self.bar.add_task(title, total=size, step=step)
            self.bar.update(row, completed=done, step=step, refresh=True)
            if size is not None and done >= size:
                self.bar.remove_task(self.rows.pop(name))

    def clear(self) -> None:
        with self.lock:
            for row in self.rows.values():
                self.bar.remove_task(row)
            self.rows.clear()


def read_figures(done: int, size: int | None, lines: int) -> str:
    """How far a file's reading has got: ``12.4 / 50.0 MB (123,456 lines)``."""
    of = f" / {size / 1e6:.1f}" if size else ""
    return f"{done / 1e6:.1f}{of} MB ({lines:,} lines)"


def fitting_name(name: str, room: int) -> str:
    """``source · file`` in ``room`` characters: whole, else the source alone, else cut."""
    source = name.split(" · ", 1)[0]
    for candidate in (name, source):
        if len(candidate) <= room:
            return candidate
    return source[: max(room, 4) - 1] + "…"


def middle_cut(text: str, room: int) -> str:
    """``text`` in ``room`` characters, cut in the middle so both ends stay (labels that differ
    only at their end, ``…-property-east`` and ``…-property-west``, stay apart); the end keeps
    the larger part."""
    if len(text) <= room:
        return text
    keep = max(room, 3) - 1
    head = keep // 3
    return text[:head] + "…" + text[len(text) - (keep - head) :]


def fitting_table(
    title: str,
    columns: tuple[str, ...],
    *,
    wide: bool = False,
    limits: dict[str, int] | None = None,
    keep: tuple[str, ...] = (),
) -> Any:
    """A table whose cells never wrap one word per line: each column is at most its limit
    (``limits``) and no wider than its longest cell, the limits shrunk to fit the terminal when
    they must, and a longer cell is cut with an ellipsis; with ``wide`` cells are kept whole.
    Columns in ``keep`` (a period, a status) are never shrunk. The widths are set when the table
    is printed, so an empty note column takes no room from the recipients."""
    from rich.table import Table

    caps = dict(limits or {})

    class FittingTable(Table):
        def __rich_console__(self, console: Any, options: Any) -> Any:
            if not wide:
                needed = {
                    str(column.header): min(caps[str(column.header)], _longest(column))
                    for column in self.columns
                    if str(column.header) in caps
                }
                widths = column_widths(columns, needed, keep, options.max_width)
                for column in self.columns:
                    column.max_width = widths.get(str(column.header))
            return super().__rich_console__(console, options)

    widths = column_widths(columns, caps, keep, console().width)  # until printed: the most
    table = FittingTable(title=title)
    for column in columns:
        table.add_column(
            column,
            no_wrap=True,
            overflow="fold" if wide else "ellipsis",
            max_width=None if wide else widths[column],
        )
    return table


def _longest(column: Any) -> int:
    """The widest of a column's header and cells, as printed (markup not counted)."""
    from rich.text import Text

    cells = [Text.from_markup(c) if isinstance(c, str) else c for c in column._cells]
    return max([len(str(column.header)), *(c.cell_len for c in cells if hasattr(c, "cell_len"))])


def column_widths(
    columns: tuple[str, ...], limits: dict[str, int], keep: tuple[str, ...], width: int
) -> dict[str, int]:
    """Each column's width: its limit (a column without one takes the room left), the
    shrinkable ones cut in proportion when the limits do not fit ``width``."""
    room = max(width - (3 * len(columns) + 1), len(columns) * 3)
    fixed = sum(limits[c] for c in columns if c in limits and c in keep)
    free = [c for c in columns if c not in limits]
    spare = max(room - fixed, 0)
    wanted = sum(limits[c] for c in columns if c in limits and c not in keep)
    budget = spare - (8 * len(free) if free else 0)
    scale = min(1.0, budget / wanted) if wanted else 1.0
    out = {c: limits[c] if c in keep else max(3, int(limits[c] * scale)) for c in limits}
    left = room - sum(out[c] for c in columns if c in out)
    for c in free:
        out[c] = max(3, left // len(free))
    return out


def print_table(table: Any, *, wide: bool = False) -> None:
    """Print a fitting table on stdout; ``wide`` lets it run past the terminal's width."""
    out = console()
    if wide:
        out.width = 100_000
    out.print(table)


WORKFLOW = (
    "demo",
    "init",
    "check",
    "findings",
    "collect",
    "build",
    "open",
    "send",
    "schedule",
    "history",
    "track",
    "archive",
    "reports",
)


class Group(click.Group):
    """The command group: lists commands in workflow order, then plugins' commands."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        known = [name for name in WORKFLOW if name in self.commands]
        return known + sorted(name for name in self.commands if name not in WORKFLOW)


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="execbrief")
def cli() -> None:
    """execbrief: monthly executive reports for a small portfolio, computed from its own files
    (handoff notes, ledgers, bookings, timesheets, code, sites, .env files, AWS) and mailed out.

    Start with `execbrief demo`; then `execbrief init DIR` writes a portfolio.toml for your own
    files (docs/formats.md describes every key).
    """


def total_sources(config: Config) -> int:
    """How many sources a collect will read."""
    return sum(len(entity.sources) for entity in config.entities)


def collect_snapshot(
    loaded: Loaded, as_of: date, reading: Any = None, *, shown: bool = True
) -> Any:
    """Collect with a progress bar unless not ``shown`` (``reading``: a ``pipeline.Reading``;
    default serial, uncached)."""
    from execbrief.pipeline import Reading, collect, collecting

    with (
        progress_bar("Reading sources", total_sources(loaded.config), enabled=shown) as advance,
        collecting(loaded.config, reading or Reading(), lambda: datetime.now(UTC)) as how,
    ):
        return collect(loaded.config, loaded.registry, as_of, progress=advance, **how)


@cli.command(context_settings=MANY_PORTFOLIOS)
@config_option
@as_of_option
@click.option(
    "--report",
    "reports",
    multiple=True,
    metavar="NAME",
    help="Build only this report (repeatable).",
)
@click.option(
    "--format",
    "fmt",
    default="text",
    show_default=True,
    help="Output format: text, markdown, json or html (or a plugin's; `execbrief reports` lists them).",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False),
    default=None,
    help="Write DIR/<report>.<ext> files here. Without --report: every report configured in "
    "portfolio.toml ([reports.<name>]), or every built-in one when none is.",
)
@click.option(
    "--strict", is_flag=True, help="Exit 1 when a source has an error or is stale (as collect)."
)
@reading_options
@portfolios_option
@click.option(
    "--json", "as_json", is_flag=True, help="With --portfolios: print the summary as JSON."
)
@click.option(
    "--wide", is_flag=True, help="With --portfolios: do not cut the summary's long labels."
)
def build(
    config_path: str,
    env_file: str | None,
    as_of: str | None,
    reports: tuple[str, ...],
    fmt: str,
    out: str | None,
    strict: bool = False,
    jobs: int | None = None,
    no_cache: bool = False,
    portfolios: str | None = None,
    as_json: bool = False,
    wide: bool = False,
) -> None:
    """Build reports: those named by --report, else every enabled report configured in
    portfolio.toml ([reports.<name>]), else every built-in one. With one report and no --out,
    print it to stdout; several without --out go to the reports folder beside portfolio.toml.

    Exits 0 when every report was built (a source's error shows in the reports), 1 when a report
    failed, or with --strict when a source has an error or is stale, 2 when the config is invalid.
    With --portfolios each portfolio's reports go to --out/<portfolio>/ (else to the reports
    folder beside its portfolio.toml) and the exit code is the highest of theirs.
    """
    patterns = portfolio_patterns(portfolios)
    if patterns is not None:
        plan = many_plan(
            "build",
            as_of,
            reports,
            no_cache,
            fmt=fmt,
            out=Path(out) if out else None,
            strict=strict,
        )
        run_many(patterns, plan, env_file=env_file, jobs=jobs, as_json=as_json, wide=wide)
    if as_json:
        fail(
            "--json goes with --portfolios; for one portfolio's reports as JSON pass --format json"
        )
    with errors_as_exit():
        loaded = load(config_path, env_file)
        from execbrief.pipeline import build_reports, report_names

        if fmt not in loaded.registry.renderers:
            fail(
                f"--format {fmt!r} is unknown; expected one of {', '.join(sorted(loaded.registry.renderers))}"
            )
        wanted = report_names(loaded.config, loaded.registry, reports)
        steps = total_sources(loaded.config) + len(wanted)
        reading = reading_for(jobs, no_cache)
        with progress_bar("Reading sources, then building", steps) as advance:
            run = build_reports(
                loaded.config,
                loaded.registry,
                as_of=parse_as_of(as_of, loaded.config),
                clock=lambda: datetime.now(UTC),
                names=reports,
                progress=advance,
                reading=reading,
                renderer=loaded.registry.renderers[fmt],
            )
        for error in run.errors:
            console(stderr=True).print(f"[bold red]error:[/] {error}")
        renderer = loaded.registry.renderers[fmt]
        failed = bool(run.errors) or (strict and run.source_problems > 0)
        if strict and run.source_problems:
            console(stderr=True).print(
                f"[bold red]error:[/] {counted(run.source_problems, 'source')} "
                f"{'has' if run.source_problems == 1 else 'have'} an error or "
                f"{'is' if run.source_problems == 1 else 'are'} stale "
                "(--strict); `execbrief collect` lists them"
            )
        if out is None and len(run.documents) + len(run.errors) == 1:
            if run.documents:
                click.echo(run.texts[0], nl=False)
            sys.exit(1 if failed else 0)
        target = Path(out) if out else loaded.config.root / "reports"
        target.mkdir(parents=True, exist_ok=True)
        for document, text in zip(run.documents, run.texts, strict=True):
            path = target / f"{document.report}.{renderer.extension}"
            write_atomic(path, text)
            console(stderr=True).print(f"wrote {path}")
        sys.exit(1 if failed else 0)


@cli.command(name="reports")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
def list_plugins(as_json: bool) -> None:
    """List the registered reports, sources, analyses, renderers and transports."""
    from rich.table import Table

    from execbrief.plugins import get_registry

    with errors_as_exit():
        registry = get_registry()
    rows: list[tuple[str, str, str, str]] = []
    for kind in ("reports", "sources", "analyses", "renderers", "transports"):
        for name, item in sorted(getattr(registry, kind).items()):
            about = (
                getattr(item, "title", "")
                or getattr(item, "description", "")
                or (item.__doc__ or "").strip().split("\n")[0]
            )
            rows.append(
                (
                    kind[:-1] if kind != "analyses" else "analysis",
                    name,
                    about,
                    registry.owner(kind, name),
                )
            )
    if as_json:
        print_json([{"kind": k, "name": n, "about": a, "plugin": p} for k, n, a, p in rows])
        return
    table = Table(title="Registered plugins")
    for column in ("kind", "name", "about", "plugin"):
        table.add_column(column)
    for row in rows:
        table.add_row(*row)
    console().print(table)


def stale_note(result: Any) -> str:
    """How ``check`` and ``collect`` say a source is stale."""
    fresh = result.freshness
    return f"stale: {fresh.age_days}d old, over its {fresh.limit_days}d limit (stale_after_days)"


@cli.command()
@config_option
@as_of_option
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.option(
    "--expect",
    type=click.Choice(["monthly", "quarterly"]),
    default=None,
    help="Also report periods with no successful delivery of a configured report.",
)
@click.option(
    "--strict",
    is_flag=True,
    help="Exit 1 when a source has an error or is stale (check always does; accepted so the "
    "same flag works on check, collect and build).",
)
def check(
    config_path: str,
    env_file: str | None,
    as_of: str | None,
    as_json: bool,
    expect: str | None,
    strict: bool = False,
) -> None:
    """Validate portfolio.toml, check that every source is readable and that the transport can
    send (SES: sender verified, quota, sandbox; SMTP: connect, STARTTLS, login).

    Exits 0 when all is well, 1 when a source, the transport or an expected delivery has a
    problem, 2 when the config itself is invalid.
    """
    from rich.markup import escape
    from rich.table import Table

    with errors_as_exit():
        loaded = load(config_path, env_file)
        snapshot = collect_snapshot(loaded, parse_as_of(as_of, loaded.config), shown=not as_json)
    problems = [
        {"entity": r.entity, "source": r.kind, "error": e.describe()}
        for r in snapshot.results
        for e in r.errors
    ] + [
        {"entity": r.entity, "source": r.kind, "error": stale_note(r)}
        for r in snapshot.stale_sources()
    ]
    delivery = delivery_check(loaded, snapshot.as_of, expect)
    if as_json:
        print_json(
            {
                "config": str(loaded.config.path),
                "sources": len(snapshot.results),
                "problems": problems,
                "mappings": column_mappings(snapshot),
                "delivery": delivery,
            }
        )
    else:
        out = console()
        out.print(
            f"[green]ok[/] config {loaded.config.path} ({counted(len(loaded.config.entities), 'entity', 'entities')})"
        )
        table = Table(title="Sources")
        for column in ("entity", "source", "records", "status"):
            table.add_column(column)
        for result in snapshot.results:
            notes = [stale_note(result)] if result.freshness and result.freshness.stale else []
            if result.errors:
                notes.append(f"{counted(len(result.errors), 'problem')}, listed below")
            status = "[green]ok[/]" if not notes else "[red]" + escape("; ".join(notes)) + "[/]"
            table.add_row(result.entity, result.kind, str(len(result.records)), status)
        out.print(table)
        print_source_errors(out, snapshot.errors())
        print_mappings(snapshot)
        print_delivery_check(delivery)
    sys.exit(1 if problems or not delivery["ok"] else 0)


@cli.command()
@click.option(
    "--out",
    type=click.Path(file_okay=False),
    default="execbrief-demo",
    show_default=True,
    help="Where to copy the example portfolio.",
)
def demo(out: str) -> None:
    """Copy the bundled example portfolio to OUT, build every report and deliver it to the outbox.

    No credentials are needed: reports land as .eml files in OUT/outbox. Run it again and nothing
    is sent twice; `execbrief send -c OUT/portfolio.toml --force` re-sends.
    """
    from execbrief.examples import copy_example

    with errors_as_exit():
        target = copy_example(Path(out))
        console(stderr=True).print(f"Example portfolio copied to {target}")
        ctx = click.get_current_context()
        try:
            ctx.invoke(send, config_path=str(target / "portfolio.toml"))
        except SystemExit as done:
            print_demo_next(target)
            raise done


def print_demo_next(target: Path) -> None:
    """Where the demo's reports are, and the next three commands to try."""
    config = target / "portfolio.toml"
    err = console(stderr=True)
    err.print(f"\nThe mailed reports are .eml files in {target / 'outbox'}.", markup=False)
    err.print("Next:", markup=False)
    for command, why in (
        (f"execbrief open -c {config} --report ceo", "read the CEO report in your browser"),
        (f"execbrief findings -c {config}", "every finding, with the id to accept it by"),
        ("execbrief init DIR", "write a portfolio.toml for your own files"),
    ):
        err.print(f"  {command}\n      {why}", markup=False)


@cli.command()
@click.argument("folder", default=".", type=click.Path(file_okay=False))
def init(folder: str) -> None:
    """Write FOLDER/portfolio.toml from the files under FOLDER: handoff notes, ledgers and bank
    or processor exports, bookings, timesheets, invoices, trips, subscriber lists, AWS cost
    exports, sites, code folders and .env files, grouped into entities by folder and name.

    Every guess is marked GUESS and every column mapping shown in a comment; nothing secret is
    copied into it. An existing portfolio.toml is never overwritten.
    """
    from execbrief.scaffold import init_portfolio

    with errors_as_exit():
        done = init_portfolio(Path(folder))
    guesses = done.guesses()
    err = console(stderr=True)
    err.print(
        f"wrote {done.path}: {counted(len(done.grouped.entities), 'entity', 'entities')}, "
        f"{counted(done.sources(), 'source')}; "
        f"{guesses} lines marked GUESS to check",
        markup=False,
    )
    if done.grouped.unplaced or done.skipped:
        err.print(
            f"{len(done.grouped.unplaced)} files not placed and {len(done.skipped)} not "
            "recognised are listed at its end",
            markup=False,
        )
    err.print(f"next: execbrief check -c {done.path}", markup=False)
    click.echo(str(done.path))


@cli.command()
@config_option
@as_of_option
@click.option("--json", "as_json", is_flag=True, help="Print the findings as JSON.")
@click.option("--wide", is_flag=True, help="Do not cut long cells to fit the terminal.")
def findings(
    config_path: str, env_file: str | None, as_of: str | None, as_json: bool, wide: bool
) -> None:
    """List every current finding: its stable id, severity, status (open, or accepted by a
    [[findings.accept]] entry of portfolio.toml), entity and title.

    Accept one by adding to portfolio.toml:  [[findings.accept]]  id = "<id or id prefix>"
    reason = "..."  until = 2027-03-31 (optional). Acceptances that expired or match no finding
    are reported on stderr.
    """
    from execbrief.pipeline import current_findings

    with errors_as_exit():
        loaded = load(config_path, env_file)
        sources = total_sources(loaded.config)
        with progress_bar("Reading sources", sources, enabled=not as_json) as advance:
            rows, stale = current_findings(
                loaded.config,
                loaded.registry,
                parse_as_of(as_of, loaded.config),
                progress=advance,
            )
    if as_json:
        print_json({"findings": [row.to_dict() for row in rows], "acceptance_problems": stale})
    else:
        print_findings(rows, wide=wide)
    err = console(stderr=True)
    for line in stale:
        print_wrapped(err, "warning: ", line, style="yellow")


def print_findings(rows: list[Any], *, wide: bool = False) -> None:
    """The findings as a table when it fits with every id whole (an id is what one pastes into
    [[findings.accept]], so it is never cut; the title is), else one finding per two lines: the
    id, then severity, status, entity and title cut to the terminal's width."""
    from rich.markup import escape

    title = f"{len(rows)} findings, {sum(1 for r in rows if r.accepted)} accepted"
    id_width = max((len(r.finding.id) for r in rows), default=2)
    out = console()
    limits = {"id": id_width, "severity": 8, "status": 8, "entity": 20}
    room_for_title = out.width - sum(limits.values()) - 16
    if wide or room_for_title >= 24:
        limits["title"] = max(room_for_title, 24) if not wide else 200
        table = fitting_table(
            title,
            ("id", "severity", "status", "entity", "title"),
            wide=wide,
            limits=limits,
            keep=("id", "severity", "status", "entity"),
        )
        for row in rows:
            table.add_row(
                escape(row.finding.id),
                row.finding.severity.value,
                "accepted" if row.accepted else "open",
                row.finding.entity or "",
                escape(row.finding.title),
            )
        print_table(table, wide=wide)
        return
    out.print(title, markup=False)
    for row in rows:
        out.print(row.finding.id, markup=False, crop=False)
        status = "accepted" if row.accepted else "open"
        detail = f"  {row.finding.severity.value:<8} {status:<8} {row.finding.entity or '-'}: "
        text = detail + row.finding.title
        if len(text) > out.width:
            text = text[: max(out.width - 1, 0)] + "…"
        out.print(text, markup=False, highlight=False)


def print_wrapped(out: Any, label: str, text: str, style: str = "") -> None:
    """``label`` and ``text`` wrapped at word breaks to the console's width, the follow-on
    lines indented (a message never runs off an 80-column terminal, nor breaks one word a line)."""
    import textwrap

    from rich.markup import escape

    lines = textwrap.wrap(
        label + text,
        width=max(out.width, 40),
        subsequent_indent="  ",
        break_long_words=False,
        break_on_hyphens=False,
    )
    first = lines[0][len(label) :] if lines else ""
    styled = f"[{style}]{escape(label.rstrip())}[/] " if style else escape(label)
    out.print(styled + escape(first))
    for line in lines[1:]:
        out.print(escape(line), markup=True)


@cli.command(name="collect")
@config_option
@as_of_option
@click.option("--json", "as_json", is_flag=True, help="Print the whole snapshot as JSON data.")
@click.option("--strict", is_flag=True, help="Exit 1 when a source has an error or is stale.")
@reading_options
def collect_command(
    config_path: str,
    env_file: str | None,
    as_of: str | None,
    as_json: bool,
    strict: bool,
    jobs: int | None = None,
    no_cache: bool = False,
) -> None:
    """Read every source and print the snapshot: per entity and source, record counts, date range,
    freshness and errors (each naming file:line).

    Exits 0 even when sources have errors (they are shown; the other sources are still read), 1
    with --strict when any source has an error or is stale, 2 when the config is invalid.
    """
    from rich.table import Table

    with errors_as_exit():
        loaded = load(config_path, env_file)
        snapshot = collect_snapshot(
            loaded,
            parse_as_of(as_of, loaded.config),
            reading_for(jobs, no_cache),
            shown=not as_json,
        )
    if as_json:
        # written as it is encoded: a big ledger's JSON is never one string (print_json's text)
        from execbrief.serialization import write_json

        write_json(snapshot, sys.stdout.write)
        sys.stdout.write("\n")
        sys.stdout.flush()
    else:
        table = Table(title=f"{snapshot.portfolio}: sources as of {snapshot.as_of.isoformat()}")
        # under 100 columns the "from" date is left out (--json has it) so the rest fits
        narrow = console().width < 100
        columns = ("entity", "source", "records", "from", "to", "age", "status")
        for column in columns:
            if column == "from" and narrow:
                continue
            table.add_column(
                column,
                justify="right" if column in ("records", "age") else "left",
                no_wrap=column != "status",
                overflow="ellipsis" if column == "entity" else "fold",
                max_width=20 if column == "entity" else None,
            )
        for result in snapshot.results:
            cells = [
                result.entity,
                result.kind,
                str(len(result.records)),
                result.first_date.isoformat() if result.first_date else "",
                result.last_date.isoformat() if result.last_date else "",
                *collect_status(result),
            ]
            table.add_row(*(cells[:3] + cells[4:] if narrow else cells))
        out = console()
        out.print(table)  # at the terminal's width (COLUMNS): the status column wraps
        print_mappings(snapshot)
        print_source_errors(out, snapshot.errors())
    if strict and (snapshot.errors() or snapshot.stale_sources()):
        sys.exit(1)


def counted(count: int, noun: str, plural: str | None = None) -> str:
    """``1 problem``, ``5 problems``, ``2 entities`` (``plural``: a noun's irregular one)."""
    return f"{count:,} {noun if count == 1 else plural or noun + 's'}"


def print_source_errors(out: Any, errors: Any) -> None:
    """Every source error, one wrapped sentence each under a count (``check`` and ``collect``
    list them all: a table cell would hide some or wrap them a word per line at 80 columns)."""
    errors = list(errors)
    if not errors:
        return
    out.print(f"\n[bold]{counted(len(errors), 'source error')}[/]")
    for error in errors:
        mark = "error" if error.fatal else "warning"
        label = f"{mark} {error.entity} {error.source_kind}: "
        print_wrapped(out, label, error.describe(), style="red" if error.fatal else "yellow")


def collect_status(result: Any) -> tuple[str, str]:
    """A source's age and status cells in the ``collect`` table."""
    fresh = result.freshness
    age = f"{fresh.age_days}d" if fresh and fresh.age_days is not None else ""
    status = []
    if fresh and fresh.stale:
        status.append(f"[red]stale >{fresh.limit_days}d[/]")
    if result.errors:
        count = len(result.errors)
        status.append(f"[red]{count} error{'s' if count > 1 else ''}[/]")
    skipped = sum(error.rows_skipped for error in result.errors)
    if skipped:
        status.append(f"{skipped} rows skipped")
    return age, ", ".join(status) or "[green]ok[/]"


def column_mappings(snapshot: Any) -> list[dict[str, Any]]:
    """Per table file: which header went to which field, which were ignored, the layout."""
    return [
        {
            "entity": result.entity,
            "source": result.kind,
            "file": mapping.source,
            "header_line": mapping.header_line,
            "layout": mapping.layout,
            "fields": dict(mapping.fields),
            "configured": list(mapping.configured),
            "ignored": list(mapping.ignored),
            "notes": list(mapping.notes),
        }
        for result in snapshot.results
        for mapping in result.mappings
    ]


def print_mappings(snapshot: Any) -> None:
    """The column mapping of every table file, one line each (so a misread is seen first)."""
    lines = [
        (result.entity, result.kind, mapping)
        for result in snapshot.results
        for mapping in result.mappings
    ]
    if not lines:
        return
    out = console()
    out.print("\n[bold]How the table files were read[/] (field <- header as written)")
    for entity, kind, mapping in lines:
        print_wrapped(out, f"{entity} {kind}: ", mapping.describe())


def print_period_summary(seen: dict[str, Any], report: str | None, wide: bool = False) -> None:
    """What a period's runs saw (per source) and found (per report), as tables: the run whose
    reports were delivered (per report, the run its readers received), and a line naming later
    runs that sent nothing."""
    out = console()
    if wide:
        out.width = 100_000
    if not seen["snapshots"]:
        out.print(f"No run recorded what it saw for {seen['period']}.")
        return
    shown = delivered_snapshot(seen)
    which = "the delivered run" if shown["delivered"] else "none delivered"
    table = fitting_table(
        f"What run {shown['run_id']} read for {seen['period']} (as of {shown['as_of']}), {which}",
        ("entity", "source", "records", "from", "to", "stale", "errors"),
        wide=wide,
        limits={"entity": 16, "source": 11, "records": 7, "from": 10, "to": 10, "stale": 5},
        keep=("records", "from", "to", "stale"),
    )
    for source in shown["sources"]:
        table.add_row(
            source["entity"],
            source["kind"],
            str(source["records"]),
            source["first"] or "",
            source["last"] or "",
            "stale" if source["stale"] else "",
            counted(len(source["errors"]), "error") if source["errors"] else "",
        )
    out.print(table)
    errors = [(s["entity"], s["kind"], error) for s in shown["sources"] for error in s["errors"]]
    if errors:
        out.print(f"{counted(len(errors), 'source error')} in run {shown['run_id']}:", markup=False)
    for entity, kind, error in errors:
        print_wrapped(out, f"{entity} {kind}: ", error)
    later = [s for s in seen["snapshots"] if s["run_id"] > shown["run_id"] and not s["delivered"]]
    if later:
        runs = ", ".join(f"run {s['run_id']} (as of {s['as_of']})" for s in later)
        out.print(f"Later runs for {seen['period']} sent nothing new: {runs}.", markup=False)
    run_of = seen.get("delivered_runs", {})
    runs_shown = sorted(set(run_of.values())) or [shown["run_id"]]
    of_runs = "run" + ("s " if len(runs_shown) > 1 else " ") + ", ".join(map(str, runs_shown))

    def shown_run(row: dict[str, Any]) -> bool:
        return row["run_id"] == run_of.get(row["report"], shown["run_id"]) and report in (
            None,
            row["report"],
        )

    table = fitting_table(
        f"Findings in the reports of {of_runs}",
        ("report", "severity", "entity", "finding"),
        wide=wide,
        limits={"report": 10, "severity": 8, "entity": 16},
        keep=("severity",),
    )
    for finding in filter(shown_run, seen["findings"]):
        table.add_row(
            finding["report"], finding["severity"], finding["entity"] or "", finding["title"]
        )
    out.print(table)
    table = fitting_table(
        f"Figures in the reports of {of_runs}",
        ("report", "entity", "figure", "value"),
        wide=wide,
        limits={"report": 10, "entity": 16, "value": 18},
        keep=("value",),
    )
    for figure in filter(shown_run, seen["figures"]):
        table.add_row(figure["report"], figure["entity"] or "", figure["label"], figure["text"])
    out.print(table)


def delivered_snapshot(seen: dict[str, Any]) -> dict[str, Any]:
    """The snapshot of the latest run of the period that delivered a report (its readers got
    what it read), else the latest run's."""
    sent = [s for s in seen["snapshots"] if s.get("delivered")]
    return (sent or seen["snapshots"])[-1]


@cli.command()
@config_option
@click.option(
    "--out",
    type=click.Path(file_okay=False),
    default="archive",
    show_default=True,
    help="Folder for the static site (relative to the current directory).",
)
def archive(config_path: str, env_file: str | None, out: str) -> None:
    """Write a static site of every report sent, by period, with an index page.

    The site opens from disk with no server: open OUT/index.html in a browser.
    """
    from execbrief.history.archive import write_archive
    from execbrief.history.runs import History

    with errors_as_exit():
        loaded = load(config_path, env_file)
        with open_store(loaded.config) as store:
            documents = History(store).sent_documents()
        files = write_archive(documents, Path(out), loaded.config.portfolio.name)
    periods = sorted({d.period for d in documents})
    console(stderr=True).print(
        f"wrote {len(files)} files ({len(documents)} reports over {len(periods)} periods); "
        f"open {Path(out) / 'index.html'}"
    )


@cli.command(name="open")
@config_option
@as_of_option
@click.option(
    "--report", "reports", multiple=True, metavar="NAME", help="Open only this report (repeatable)."
)
@click.option(
    "--archive", "from_archive", is_flag=True, help="Open the archive of every report sent instead."
)
@click.option(
    "--out",
    type=click.Path(file_okay=False),
    default=None,
    help="Write the pages here (default: a new temporary folder).",
)
def open_command(
    config_path: str,
    env_file: str | None,
    as_of: str | None,
    reports: tuple[str, ...],
    from_archive: bool,
    out: str | None,
) -> None:
    """Build the full HTML reports (with --archive: the archive of those sent) into a folder and
    open them in the browser (the BROWSER variable, else the desktop's default)."""
    import tempfile

    from execbrief.history.archive import write_archive
    from execbrief.history.runs import History, StoredDocument
    from execbrief.pipeline import build_reports

    with errors_as_exit():
        loaded = load(config_path, env_file)
        if from_archive:
            with open_store(loaded.config) as store:
                documents = History(store).sent_documents()
        else:
            with progress_bar("Reading sources, then building", None) as advance:
                run = build_reports(
                    loaded.config,
                    loaded.registry,
                    as_of=parse_as_of(as_of, loaded.config),
                    clock=lambda: datetime.now(UTC),
                    names=reports,
                    progress=advance,
                )
            for error in run.errors:
                console(stderr=True).print(f"[bold red]error:[/] {error}")
            documents = [StoredDocument(0, d.period, d.report, d) for d in run.documents]
        folder = Path(out) if out else Path(tempfile.mkdtemp(prefix="execbrief-"))
        files = write_archive(documents, folder, loaded.config.portfolio.name)
    page = files[1] if len(files) == 2 else files[0]  # one report: its page, else the index
    click.echo(str(page))
    if click.launch(str(page), wait=True) != 0:
        import webbrowser

        webbrowser.open(page.resolve().as_uri())


@cli.command()
@config_option
@click.option(
    "--print",
    "recipe",
    type=click.Choice(["cron", "systemd", "github"]),
    required=True,
    help="Which recipe to print.",
)
def schedule(config_path: str, env_file: str | None, recipe: str) -> None:
    """Print a recipe that sends this portfolio's reports every month and checks for missed
    runs: a crontab line, systemd user units (service + timer), or a GitHub Actions workflow.
    docs/scheduling.md explains each."""
    import shutil

    from execbrief import schedule as recipes

    with errors_as_exit():
        loaded = load(config_path, env_file)
    config = loaded.config.path.resolve()
    found = shutil.which("execbrief")
    program = (found,) if found else (sys.executable, "-m", "execbrief")
    try:
        relative = config.relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        relative = config.name
    target = recipes.Target(
        program, config, relative, Path(env_file).resolve() if env_file else None
    )
    if recipe == "cron":
        click.echo(recipes.cron(target), nl=False)
    elif recipe == "systemd":
        click.echo(recipes.print_systemd(target), nl=False)
    else:
        click.echo(recipes.github(target), nl=False)


def system_timing() -> Any:
    """Dispatch timing from the wall clock (the CLI is where the clock is read)."""
    from execbrief.delivery.pacing import Timing

    return Timing(now=lambda: datetime.now(UTC))


#: How a delivery's status (or a run's action on it) is coloured; the rest are plain.
STATUS_STYLE: dict[str, str] = {
    DeliveryStatus.SENT: "green",
    DeliveryStatus.DELIVERED: "green",
    DeliveryAction.SKIPPED: "dim",
    DeliveryAction.WOULD_SEND: "cyan",
    DeliveryStatus.FAILED: "red",
    DeliveryStatus.BLOCKED: "red",
    DeliveryStatus.UNKNOWN: "yellow",
    DeliveryStatus.DEFERRED: "yellow",
    DeliveryStatus.PENDING: "yellow",
    DeliveryStatus.BOUNCED: "red",
    DeliveryStatus.COMPLAINED: "red",
    DeliveryStatus.REJECTED: "red",
}


def print_checks(items: list[Any], title: str = "Transport check") -> None:
    """A table of transport check items on stderr."""
    from rich.markup import escape
    from rich.table import Table

    table = Table(title=title)
    for column in ("check", "result", "detail"):
        table.add_column(column)
    for item in items:
        # details quote config sections ("[delivery.ses]") and provider text: never markup
        table.add_row(
            escape(item.name), "[green]ok[/]" if item.ok else "[red]failed[/]", escape(item.detail)
        )
    console(stderr=True).print(table)


@cli.command(context_settings=MANY_PORTFOLIOS)
@config_option
@as_of_option
@click.option(
    "--report", "reports", multiple=True, metavar="NAME", help="Send only this report (repeatable)."
)
@click.option(
    "--period",
    default=None,
    metavar="P",
    help="Period to deliver (2026-11 or 2026-Q4); default: the last complete month before --as-of.",
)
@click.option("--dry-run", is_flag=True, help="Show what would be sent; send and record nothing.")
@click.option(
    "--force",
    is_flag=True,
    help="Send again even to recipients who already have this period's report.",
)
@click.option(
    "--resend-unknown", is_flag=True, help="Resend deliveries left unknown by a crashed run."
)
@click.option(
    "--allow-unreconciled", is_flag=True, help="Send reports whose books do not reconcile."
)
@click.option("--no-check", is_flag=True, help="Skip the transport check before sending.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.option("--wide", is_flag=True, help="Do not cut long cells to fit the terminal.")
@reading_options
@portfolios_option
def send(
    config_path: str,
    env_file: str | None = None,
    as_of: str | None = None,
    reports: tuple[str, ...] = (),
    period: str | None = None,
    dry_run: bool = False,
    force: bool = False,
    resend_unknown: bool = False,
    allow_unreconciled: bool = False,
    no_check: bool = False,
    as_json: bool = False,
    wide: bool = False,
    jobs: int | None = None,
    no_cache: bool = False,
    portfolios: str | None = None,
) -> None:
    """Build the reports and deliver each to its recipients, once per period.

    Exits 0 when every delivery is sent (or was already), 1 when any failed, was blocked,
    deferred or is unknown, 2 for a usage or config error. With --portfolios the workers share
    one send rate (each send waits for its slot at its transport's rate) and the exit code is
    the highest of the portfolios'.
    """
    from rich.markup import escape

    from execbrief.delivery.results import DispatchOptions
    from execbrief.pipeline import send_reports
    from execbrief.values import PeriodParseError

    options = DispatchOptions(
        force=force,
        resend_unknown=resend_unknown,
        allow_unreconciled=allow_unreconciled,
        dry_run=dry_run,
    )
    patterns = portfolio_patterns(portfolios)
    if patterns is not None:
        plan = many_plan(
            "send", as_of, reports, no_cache, period=period, options=options, check=not no_check
        )
        run_many(patterns, plan, env_file=env_file, jobs=jobs, as_json=as_json, wide=wide)
    with errors_as_exit():
        loaded = load(config_path, env_file)
        if period is not None:
            from execbrief.config import check_period

            try:
                check_period(period)
            except PeriodParseError as exc:
                fail(f"--period: {exc}")
        sources = total_sources(loaded.config)
        with progress_bar("Reading sources", sources, enabled=not as_json) as advance:
            run = send_reports(
                loaded.config,
                loaded.registry,
                as_of=parse_as_of(as_of, loaded.config),
                timing=system_timing(),
                names=reports,
                period=period,
                options=options,
                check=not no_check,
                progress=advance,
                reading=reading_for(jobs, no_cache),
            )
    if as_json:
        print_json(run.to_dict())
        sys.exit(run.exit_code)
    err = console(stderr=True)
    for error in run.build_errors:
        err.print(f"[bold red]error:[/] {escape(error)}")
    for warning in run.warnings:
        err.print(f"[yellow]warning:[/] {escape(warning)}")
    if run.checks and (run.check_failed or not as_json):
        print_checks(run.checks)
    if run.check_failed:
        err.print(
            "[bold red]error:[/] the transport check failed; nothing was sent (fix it, or pass --no-check)"
        )
        sys.exit(run.exit_code)
    _print_deliveries(run, dry_run=dry_run, wide=wide)
    if run.result and run.result.outcomes:
        err.print(", ".join(f"{count} {action}" for action, count in run.result.counts().items()))
    if run.result and run.result.halted:
        err.print(f"[bold red]{escape(run.result.halted)}[/]")
    for alert in run.result.alerts if run.result else []:
        err.print(f"operator: {escape(alert)}")
    if run.store_refusal:
        err.print(f"[bold red]error:[/] {escape(run.store_refusal)}")
    sys.exit(run.exit_code)


def _print_deliveries(run: SendRun, *, dry_run: bool, wide: bool) -> None:
    """The table of one send's deliveries: report, recipient, status, message id, note."""
    from rich.markup import escape

    title = f"Deliveries for {run.period}" + (" (dry run)" if dry_run else "")
    table = fitting_table(
        title,
        ("report", "recipient", "status", "message id", "note"),
        wide=wide,
        limits={"report": 10, "recipient": 20, "status": 12, "message id": 12, "note": 30},
        keep=("status",),
    )
    for outcome in run.outcomes:
        shown = (
            outcome.action
            if outcome.action in (DeliveryAction.SKIPPED, DeliveryAction.BUSY) or dry_run
            else outcome.status
        )
        style = STATUS_STYLE.get(shown.split(" (")[0], "")
        label = f"[{style}]{shown}[/]" if style else shown
        note = outcome.error or ("already sent" if outcome.action == DeliveryAction.SKIPPED else "")
        table.add_row(
            outcome.report, escape(outcome.recipient), label, outcome.message_id or "", escape(note)
        )
    print_table(table, wide=wide)


@cli.command()
@config_option
@click.option("--period", default=None, metavar="P", help="Only this period.")
@click.option("--report", default=None, metavar="NAME", help="Only this report.")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@click.option("--wide", is_flag=True, help="Do not cut long cells to fit the terminal.")
def history(
    config_path: str,
    env_file: str | None,
    period: str | None,
    report: str | None,
    as_json: bool,
    wide: bool = False,
) -> None:
    """List deliveries: period, report, recipient, status, when sent, error (--wide adds the
    provider message id and the tries).

    With --period, also what that period's runs saw (sources read, record counts, errors), the
    findings each report carried and the figures it stated.
    """

    from execbrief.history.runs import History, period_sort_key

    with errors_as_exit():
        loaded = load(config_path, env_file)
        with open_store(loaded.config) as store:
            rows = store.deliveries(period=period, report=report)
            # by date, not name: 2026-Q4 (from October) before 2026-12
            rows.sort(key=lambda row: period_sort_key(row.period))
            seen = History(store).period_summary(period) if period else None
    if as_json:
        deliveries = [row.to_dict() for row in rows]
        print_json(deliveries if seen is None else {**seen, "deliveries": deliveries})
        return
    if seen is not None:
        print_period_summary(seen, report, wide)
    console(stderr=True).print(f"store: {loaded.config.store_path}", markup=False)
    print_deliveries(rows, wide=wide)


def print_deliveries(rows: list[Any], *, wide: bool = False) -> None:
    """The stored deliveries as a table. In 80 columns it keeps what one reads there whole:
    period, report, recipient, status, when it was sent (to the minute) and, when any delivery
    has one, the error; ``--wide`` adds the provider's message id and the tries, and shows the
    sent time to the second (``--json`` has them all)."""
    from rich.markup import escape

    errors = ("error",) if wide or any(row.error for row in rows) else ()
    more = ("message id", "sent", "tries") if wide else ("sent",)
    table = fitting_table(
        "Deliveries",
        ("period", "report", "recipient", "status", *more, *errors),
        wide=wide,
        limits={"period": 7, "report": 10, "status": 9, "sent": 16},
        keep=("period", "status"),
    )
    for row in rows:
        style = STATUS_STYLE.get(row.status, "")
        sent = row.sent_at or ""
        shown = (row.message_id or "", sent, str(row.attempts)) if wide else (sent_minute(sent),)
        table.add_row(
            row.period,
            row.report,
            escape(row.recipient),
            f"[{style}]{row.status}[/]" if style else row.status,
            *shown,
            *((escape(row.error or ""),) if errors else ()),
        )
    print_table(table, wide=wide)


def sent_minute(stamp: str) -> str:
    """``2026-12-02T15:35:45Z`` as ``2026-12-02 15:35`` (a stamp of another form as it is)."""
    return stamp[:16].replace("T", " ") if len(stamp) >= 16 and stamp[10:11] == "T" else stamp


@cli.command()
@config_option
@click.option(
    "--wait",
    default=1,
    show_default=True,
    type=click.IntRange(0, 20),
    help="Seconds to wait for the provider's first event.",
)
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
def track(config_path: str, env_file: str | None, wait: int, as_json: bool) -> None:
    """Read the provider's events for the configured transport and update deliveries: delivered,
    bounced, complained, rejected. SES reads them from [delivery.ses] events_queue_url
    (configuration set -> SNS -> SQS)."""
    from rich.table import Table

    from execbrief.pipeline import track_events

    with errors_as_exit():
        loaded = load(config_path, env_file)
        with open_store(loaded.config) as store:
            result = track_events(loaded.config, loaded.registry, store, dict(os.environ), wait)
    if as_json:
        print_json(result.to_dict())
        return
    table = Table(
        title=f"{loaded.config.delivery.transport} events: {result.received} read, "
        f"{len(result.changes)} deliveries updated"
    )
    for column in ("period", "report", "recipient", "was", "now"):
        table.add_column(column)
    for change in result.changes:
        table.add_row(change.period, change.report, change.recipient, change.before, change.after)
    console().print(table)
    err = console(stderr=True)
    for line in result.unmatched:
        err.print(f"[yellow]no delivery matches[/] {line}")
    for line in result.malformed:
        err.print(f"[yellow]skipped[/] {line}")


def delivery_check(loaded: Loaded, as_of: date, expect: str | None) -> dict[str, Any]:
    """The transport part of ``execbrief check``: the transport's own checks and, with
    ``expect``, the periods with no successful delivery of a configured report."""
    from execbrief.delivery.outgoing import open_transport
    from execbrief.delivery.tracking import missed_periods

    out: dict[str, Any] = {
        "transport": loaded.config.delivery.transport,
        "checks": [],
        "missed": [],
    }
    try:
        with open_transport(loaded.config, loaded.registry, dict(os.environ)) as transport:
            out["checks"] = [
                {"name": i.name, "ok": i.ok, "detail": i.detail} for i in transport.check()
            ]
    except ExecbriefError as exc:
        out["checks"] = [
            {
                "name": f"{loaded.config.delivery.transport} transport",
                "ok": False,
                "detail": str(exc),
            }
        ]
    if expect:
        reports = {
            name: s.recipients
            for name, s in loaded.config.reports.items()
            if s.enabled and s.recipients
        }
        with open_store(loaded.config) as store:
            out["missed"] = [m.to_dict() for m in missed_periods(store, reports, expect, as_of)]  # type: ignore[arg-type]
        out["expect"] = expect
        out["expected_reports"] = sorted(reports)
    out["ok"] = all(item["ok"] for item in out["checks"]) and not out["missed"]
    return out


def print_delivery_check(report: dict[str, Any]) -> None:
    """Print the transport check and missed periods."""
    from types import SimpleNamespace

    from rich.table import Table

    print_checks(
        [SimpleNamespace(**item) for item in report["checks"]], f"Transport: {report['transport']}"
    )
    if report.get("expect") and not report["missed"]:
        names = ", ".join(report["expected_reports"]) or "none configured with recipients"
        console().print(
            f"[green]ok[/] every expected {report['expect']} report was sent to every recipient "
            f"({names})"
        )
    if report["missed"]:
        table = Table(title="Periods without a successful delivery")
        for column in ("report", "period", "missing recipients"):
            table.add_column(column)
        for item in report["missed"]:
            table.add_row(item["report"], item["period"], ", ".join(item["missing"]))
        console(stderr=True).print(table)


def parse_date(value: str | None) -> date | None:
    """``--as-of`` as a date, or None when it is not given."""
    return parse_as_of(value) if value is not None else None


def many_plan(
    command: Literal["send", "build"],
    as_of: str | None,
    reports: tuple[str, ...],
    no_cache: bool,
    **own: Any,
) -> Plan:
    """The ``--portfolios`` plan of ``build`` or ``send``: the options both read (today,
    --as-of, --report, --no-cache) and the command's ``own`` (build's --format, --out and
    --strict; send's --period, dispatch options and transport check)."""
    from execbrief.multirun import Plan

    return Plan(
        command, date.today(), as_of=parse_date(as_of), reports=reports, cache=not no_cache, **own
    )


def run_many(
    patterns: list[str],
    plan: Plan,
    *,
    env_file: str | None,
    jobs: int | None,
    as_json: bool,
    wide: bool = False,
) -> NoReturn:
    """``--portfolios``: run ``plan`` in every portfolio ``patterns`` match, print the summary
    and exit with the run's code."""
    from click.core import ParameterSource

    from execbrief.collecting import default_jobs
    from execbrief.multirun import find_portfolios, run_portfolios

    if click.get_current_context().get_parameter_source("config_path") != ParameterSource.DEFAULT:
        fail(
            "--portfolios and -c/--config are mutually exclusive; pass --portfolios GLOB for many "
            "portfolios or -c PATH for one"
        )
    err = console(stderr=True)
    with errors_as_exit():
        plan.validate()
        load_env_file(env_file)
        found = find_portfolios(patterns)
    shown = progress_shown(enabled=not as_json)
    if shown:
        err.print(
            f"running {len(found)} portfolios, {min(jobs or default_jobs(), len(found))} at once"
        )
    run = run_portfolios(
        found,
        plan,
        jobs=jobs or default_jobs(),
        clock=lambda: datetime.now(UTC),
        on_done=(lambda result: err.print(f"finished {result.label}", markup=False))
        if shown
        else None,
    )
    if as_json:
        print_json(run.to_dict())
    else:
        print_portfolio_summary(run, wide=wide)
    sys.exit(run.exit_code)


def print_portfolio_summary(run: Any, *, wide: bool = False) -> None:
    """One row per portfolio (its counts, and its status when any is not well), then, on
    stdout too, each portfolio's notes in full (under the number its status gives, ``failed
    [1]``); where each one wrote its reports goes to stderr, as a single build's ``wrote``."""
    from rich.markup import escape

    counts = run.columns()
    noted = [result for result in run.results if result.summary_notes()]
    status = ("status",) if run.exit_code or any(r.failed for r in run.results) else ()
    limits = {c: len(c) for c in counts} | {"status": len("failed [10]")}
    table = fitting_table(
        run.title(), ("portfolio", *status, *counts), wide=wide, limits=limits, keep=counts
    )
    for column in table.columns[1 + len(status) :]:
        column.justify = "right"
    room = None if wide else table.columns[0].max_width
    for result in run.results:
        label = result.label if room is None else middle_cut(result.label, room)
        mark = next((f" [{n}]" for n, r in enumerate(noted, 1) if r is result), "")
        shown = (portfolio_status(result) + mark,) if status else ()
        cells = ("–",) * len(counts) if result.failed else (str(result.column(c)) for c in counts)
        table.add_row(escape(label), *shown, *cells)
    print_table(table, wide=wide)
    out = console()
    for number, result in enumerate(noted, 1):
        style = "bold red" if result.exit_code else ""
        mark = f"[{number}] " if status else ""
        for note in result.summary_notes():
            print_wrapped(out, f"{mark}{result.label}: ", note, style)
    err = console(stderr=True)
    for result in run.results:
        if result.written:
            print_wrapped(err, f"{result.label}: ", f"wrote its reports to {result.written}")


def portfolio_status(result: Any) -> str:
    """A summary row's status: ``failed`` when the portfolio did not run (its counts are
    unknown), ``check`` when it ran and something needs a look (exit 1), else ``ok``."""
    if result.failed:
        return "[bold red]failed[/]"
    return "[yellow]check[/]" if result.exit_code else "[green]ok[/]"


def attach_plugin_commands(group: click.Group) -> ExecbriefError | None:
    """Add every plugin's commands (the ``register_commands`` hook) to ``group``; return the
    error instead when the plugins cannot load, so that ``main`` can say so."""
    from execbrief.plugins import get_registry

    try:
        registry = get_registry()
    except ExecbriefError as exc:
        return exc
    if registry.manager is not None:
        registry.manager.hook.register_commands(cli=group)
    return None


#: Plugin commands are part of the group as soon as this module is imported (CliRunner tests,
#: ``python -m execbrief`` and the console script alike).
PLUGIN_ERROR = attach_plugin_commands(cli)


def main() -> None:
    """Console-script entry point: stop with the plugins' error if they could not load, else run."""
    atexit.register(_no_last_scan)
    if PLUGIN_ERROR is not None:
        fail(str(PLUGIN_ERROR), PLUGIN_ERROR.exit_code)
    cli()


def _no_last_scan() -> None:
    """At exit, what the command made is frozen: the interpreter's last collections would scan
    every object still alive (documents, texts, caches) only to free memory the process hands
    back whole (at 100 entities 1.0-1.2 s of a build's exit, 0.1 s frozen). Registered first, it
    runs after every other exit handler (the last registered runs first); objects freed by
    reference counting are freed as before."""
    gc.freeze()
