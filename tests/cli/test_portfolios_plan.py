"""`build --portfolios` and `send --portfolios` hand their options to one helper (``many_plan``)
that builds the multi-portfolio Plan, instead of two near-identical ``Plan(...)`` blocks; each
command's plan carries the shared options and its own."""

from __future__ import annotations

import inspect
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from execbrief import cli as cli_module
from execbrief.delivery.results import DispatchOptions
from execbrief.multirun import Plan


@pytest.fixture
def plans(monkeypatch: pytest.MonkeyPatch) -> list[Plan]:
    caught: list[Plan] = []

    def run_many(pattern: str, plan: Plan, **_: Any) -> None:
        caught.append(plan)
        raise SystemExit(0)

    monkeypatch.setattr(cli_module, "run_many", run_many)
    return caught


def test_build_and_send_plans_carry_shared_and_own_options(
    plans: list[Plan], tmp_path: Path
) -> None:
    runner = CliRunner()
    shared = ["--portfolios", "clients/*", "--as-of", "2026-11-20", "--report", "cfo", "--no-cache"]
    out = str(tmp_path / "out")
    built = runner.invoke(cli_module.cli, ["build", *shared, "--format", "json", "--out", out])
    assert built.exit_code == 0, built.output
    sent = runner.invoke(
        cli_module.cli, ["send", *shared, "--period", "2026-10", "--dry-run", "--no-check"]
    )
    assert sent.exit_code == 0, sent.output
    build_plan, send_plan = plans
    for plan in plans:
        assert (plan.today, plan.as_of, plan.reports, plan.cache) == (
            date.today(),
            date(2026, 11, 20),
            ("cfo",),
            False,
        )
    assert (build_plan.command, build_plan.fmt, build_plan.out, build_plan.strict) == (
        "build",
        "json",
        Path(out),
        False,
    )
    assert (send_plan.command, send_plan.period, send_plan.check) == ("send", "2026-10", False)
    assert send_plan.options == DispatchOptions(dry_run=True)


def test_the_plan_is_built_in_one_place() -> None:
    source = inspect.getsource(cli_module)
    assert source.count("Plan(") == 1
    assert "Plan(" in inspect.getsource(cli_module.many_plan)


def test_an_unquoted_glob_s_paths_are_all_portfolios_and_build_takes_wide(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """``--portfolios clients/*`` unquoted reaches execbrief as ``clients/a clients/b ...``:
    every path is a portfolio (audit18); build's summary takes --wide as send's does."""
    caught: list[tuple[list[str], bool]] = []

    def run_many(patterns: list[str], plan: Plan, **how: Any) -> None:
        caught.append((patterns, how["wide"]))
        raise SystemExit(0)

    monkeypatch.setattr(cli_module, "run_many", run_many)
    monkeypatch.chdir(tmp_path)
    for folder in ("clients/a", "clients/b", "x/c"):
        (tmp_path / folder).mkdir(parents=True)
    runner = CliRunner()
    for command in ("build", "send"):
        done = runner.invoke(
            cli_module.cli, [command, "--portfolios", "clients/a", "clients/b", "--wide", "x/c"]
        )
        assert done.exit_code == 0, done.output
    assert caught == [(["clients/a", "clients/b", "x/c"], True)] * 2
    alone = runner.invoke(cli_module.cli, ["build", "clients/a"])
    assert alone.exit_code == 2 and "unexpected extra arguments (clients/a)" in alone.output
    # a value that lost its option (not a path the shell made) is still refused, saying why
    stray = runner.invoke(cli_module.cli, ["send", "--portfolios", "clients/*", "2026-10"])
    assert stray.exit_code == 2 and "unexpected extra arguments (2026-10)" in stray.output
    assert "quote the pattern" in stray.output and caught == [caught[0]] * 2
