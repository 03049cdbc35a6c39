"""The ``execbrief`` command line: a thin click group that parses options, calls the library and
prints with rich. Imports of heavy modules happen inside commands."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from execbrief.errors import ExecbriefError

if TYPE_CHECKING:
    from rich.console import Console

    from execbrief.config import Config
    from execbrief.plugins import Registry
    from execbrief.store.db import Store

DEFAULT_CONFIG = "portfolio.toml"


def console(stderr: bool = False) -> Console:
    """A rich console (stderr for messages, stdout for results)."""
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=True)


def fail(message: str, code: int = 2) -> NoReturn:
    """Print one clear error sentence and exit with ``code``."""
    console(stderr=True).print(f"[bold red]error:[/] {message}", markup=True, highlight=False)
    sys.exit(code)


@contextmanager
def errors_as_exit() -> Iterator[None]:
    """Turn execbrief errors into one-line messages and their exit codes."""
    try:
        yield
    except ExecbriefError as exc:
        fail(str(exc), exc.exit_code)


@dataclass
class Loaded:
    """A loaded config with its registry."""

    config: Config
    registry: Registry


def load(config_path: str, env_file: str | None = None) -> Loaded:
    """Load the registry, the optional dotenv file (into the environment) and the config."""
    from execbrief.config import load_config
    from execbrief.plugins import get_registry

    if env_file:
        from dotenv import load_dotenv

        if not Path(env_file).is_file():
            fail(f"{env_file}: no such env file; pass --env-file PATH to a dotenv file")
        load_dotenv(env_file, override=False)
    registry = get_registry()
    return Loaded(load_config(config_path, registry.option_models()), registry)


def open_store(config: Config) -> Store:
    """The portfolio's store, with the wall clock (the CLI is where the clock is read)."""
    from execbrief.store.db import Store

    return Store(config.store_path, clock=lambda: datetime.now(UTC))


def parse_as_of(value: str | None) -> date:
    """``--as-of`` as a date; defaults to today (the one place the CLI reads the clock)."""
    if value is None:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        fail(f"--as-of {value!r} is not a date; expected YYYY-MM-DD")


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
        help="Report date (YYYY-MM-DD); default today.",
    )(func)


def print_json(data: Any) -> None:
    """Print data as indented JSON on stdout."""
    click.echo(json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False))


@contextmanager
def progress_bar(
    label: str, total: int | None = None, *, enabled: bool = True
) -> Iterator[Callable[[str], None]]:
    """A rich progress bar on stderr; yields a callback taking a step description."""
    if not enabled or not sys.stderr.isatty():
        yield lambda _step: None
        return
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    with Progress(
        SpinnerColumn(),
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        TextColumn("{task.fields[step]}"),
        TimeElapsedColumn(),
        console=console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task(label, total=total, step="")

        def advance(step: str) -> None:
            bar.update(task, advance=1, step=step)

        yield advance


class Group(click.Group):
    """The command group: lists commands in the order they were added."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(self.commands)


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="execbrief")
def cli() -> None:
    """execbrief: monthly executive reports for a small portfolio, computed from its own files
    (handoff notes, ledgers, bookings, timesheets, code, sites, .env files, AWS) and mailed out.

    Start with `execbrief demo`, then write your own portfolio.toml (see docs/formats.md).
    """


def total_sources(config: Config) -> int:
    """How many sources a collect will read."""
    return sum(len(entity.sources) for entity in config.entities)


def collect_snapshot(loaded: Loaded, as_of: date) -> Any:
    """Collect with a progress bar."""
    from execbrief.pipeline import collect

    with progress_bar("Reading sources", total_sources(loaded.config)) as advance:
        return collect(loaded.config, loaded.registry, as_of, progress=advance)


@cli.command()
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
    help="Output format: text, markdown, json (or a plugin's).",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False),
    default=None,
    help="Write DIR/<report>.<ext> files here.",
)
def build(
    config_path: str,
    env_file: str | None,
    as_of: str | None,
    reports: tuple[str, ...],
    fmt: str,
    out: str | None,
) -> None:
    """Build reports. With one report and no --out, print it to stdout."""
    with errors_as_exit():
        loaded = load(config_path, env_file)
        from execbrief import pipeline

        if fmt not in loaded.registry.renderers:
            fail(
                f"--format {fmt!r} is unknown; expected one of {', '.join(sorted(loaded.registry.renderers))}"
            )
        names = pipeline.report_names(loaded.config, loaded.registry, reports)
        snapshot = collect_snapshot(loaded, parse_as_of(as_of))
        ctx = pipeline.context(snapshot, loaded.config, loaded.registry)
        built = pipeline.build(ctx, loaded.registry, names)
        renderer = loaded.registry.renderers[fmt]
        failures = [item for item in built if item.document is None]
        for item in failures:
            console(stderr=True).print(f"[bold red]error:[/] {item.error}")
        done = [item for item in built if item.document is not None]
        if out is None and len(built) == 1:
            if done:
                click.echo(renderer.render(done[0].document), nl=False)
            sys.exit(1 if failures else 0)
        target = Path(out or "reports")
        target.mkdir(parents=True, exist_ok=True)
        for item in done:
            assert item.document is not None
            path = target / f"{item.name}.{renderer.extension}"
            write_atomic(path, renderer.render(item.document))
            console(stderr=True).print(f"wrote {path}")
        sys.exit(1 if failures else 0)


def write_atomic(path: Path, text: str) -> None:
    """Write a file via a temporary file and rename, so a crash never leaves half a file."""
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


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


@cli.command()
@config_option
@as_of_option
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def check(config_path: str, env_file: str | None, as_of: str | None, as_json: bool) -> None:
    """Validate portfolio.toml and check that every source is readable.

    Exits 0 when all is well, 1 when a source has errors, 2 when the config itself is invalid.
    """
    from rich.table import Table

    with errors_as_exit():
        loaded = load(config_path, env_file)
        snapshot = collect_snapshot(loaded, parse_as_of(as_of))
    problems = [
        {"entity": r.entity, "source": r.kind, "error": e.describe()}
        for r in snapshot.results
        for e in r.errors
    ]
    if as_json:
        print_json(
            {
                "config": str(loaded.config.path),
                "sources": len(snapshot.results),
                "problems": problems,
            }
        )
    else:
        out = console()
        out.print(
            f"[green]ok[/] config {loaded.config.path} ({len(loaded.config.entities)} entities)"
        )
        table = Table(title="Sources")
        for column in ("entity", "source", "records", "status"):
            table.add_column(column)
        for result in snapshot.results:
            status = (
                "[green]ok[/]"
                if not result.errors
                else "[red]" + "; ".join(e.describe() for e in result.errors[:3]) + "[/]"
            )
            table.add_row(result.entity, result.kind, str(len(result.records)), status)
        out.print(table)
    sys.exit(1 if problems else 0)


@cli.command()
@click.option(
    "--out",
    type=click.Path(file_okay=False),
    default="execbrief-demo",
    show_default=True,
    help="Where to copy the example portfolio.",
)
@click.option(
    "--as-of",
    "as_of",
    default="2026-11-20",
    show_default=True,
    metavar="DATE",
    help="Report date of the demo.",
)
def demo(out: str, as_of: str) -> None:
    """Copy the bundled example portfolio to OUT, build every report and deliver it to the outbox."""
    from execbrief.demo import copy_example

    with errors_as_exit():
        target = copy_example(Path(out))
        console(stderr=True).print(f"Example portfolio copied to {target}")
        ctx = click.get_current_context()
        send_command = cli.get_command(ctx, "send")
        if send_command is None:
            ctx.invoke(
                build,
                config_path=str(target / "portfolio.toml"),
                env_file=None,
                as_of=as_of,
                reports=(),
                fmt="text",
                out=str(target / "reports"),
            )
        else:
            ctx.invoke(send_command, config_path=str(target / "portfolio.toml"), as_of=as_of)


@cli.command(name="collect")
@config_option
@as_of_option
@click.option("--json", "as_json", is_flag=True, help="Print the whole snapshot as JSON data.")
@click.option("--strict", is_flag=True, help="Exit 1 when a source has an error or is stale.")
def collect_command(
    config_path: str, env_file: str | None, as_of: str | None, as_json: bool, strict: bool
) -> None:
    """Read every source and print the snapshot: per entity and source, record counts, date range,
    freshness and errors (each naming file:line).

    Exits 0 even when sources have errors (they are shown; the other sources are still read), 1
    with --strict when any source has an error or is stale, 2 when the config is invalid.
    """
    from rich.table import Table

    with errors_as_exit():
        loaded = load(config_path, env_file)
        snapshot = collect_snapshot(loaded, parse_as_of(as_of))
    if as_json:
        print_json(snapshot.to_dict())
    else:
        table = Table(title=f"{snapshot.portfolio}: sources as of {snapshot.as_of.isoformat()}")
        for column in ("entity", "source", "records", "from", "to", "age", "status"):
            table.add_column(
                column,
                justify="right" if column in ("records", "age") else "left",
                no_wrap=column != "status",
            )
        for result in snapshot.results:
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
            table.add_row(
                result.entity,
                result.kind,
                str(len(result.records)),
                result.first_date.isoformat() if result.first_date else "",
                result.last_date.isoformat() if result.last_date else "",
                age,
                ", ".join(status) or "[green]ok[/]",
            )
        out = console()
        if not out.is_terminal:
            out.width = max(out.width, 120)  # piped output: keep rows whole
        out.print(table)
        errors = snapshot.errors()
        if errors:
            out.print(f"\n[bold]{len(errors)} source error{'s' if len(errors) != 1 else ''}[/]")
            for error in errors:
                mark = "[red]error[/]" if error.fatal else "[yellow]warning[/]"
                out.print(f"{mark} {error.entity} {error.source_kind}: ", end="", markup=True)
                out.print(error.describe(), markup=False)
    if strict and (snapshot.errors() or snapshot.stale_sources()):
        sys.exit(1)


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
    from execbrief.archive import write_archive
    from execbrief.history import History

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


def main() -> None:
    """Console-script entry point: add plugin commands, then run."""
    from execbrief.plugins import get_registry

    try:
        registry = get_registry()
    except ExecbriefError as exc:
        fail(str(exc), exc.exit_code)
    if registry.manager is not None:
        registry.manager.hook.register_commands(cli=cli)
    cli()
