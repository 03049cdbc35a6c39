"""``send --portfolios`` and ``build --portfolios``: real ``execbrief`` processes over three
small portfolios (and a broken fourth), each delivering exactly once through its own outbox and
store; and SES through moto's server, where the workers together keep one send rate."""

from __future__ import annotations

import itertools
import json
import multiprocessing
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from execbrief.cli import cli
from execbrief.delivery.pacing import RateLimiter, SharedTimeline
from execbrief.errors import ConfigError
from execbrief.multirun import ManyRun, PortfolioResult, find_portfolios
from kits.aws import verify
from kits.fault_proxy import Fault, FaultProxy, ProxiedRequest, is_send_email
from kits.send_cli import AS_OF, OPERATOR, PERIOD, ses_section, write_portfolio

PEOPLE = {
    "north": ("ann@north.example", "bob@north.example"),
    "south": ("cy@south.example", "di@south.example", "ed@south.example"),
    "west": ("fay@west.example",),
}


def run_many(
    root: Path, command: str, *args: str, timeout: float = 240, progress: str | None = None
) -> tuple[int, dict[str, Any], str]:
    """``execbrief COMMAND --portfolios 'clients/*' --json`` in ``root``: code, JSON, stderr
    (``progress``: the EXECBRIEF_PROGRESS setting, unset when None)."""
    env = {k: v for k, v in os.environ.items() if k != "EXECBRIEF_PROGRESS"}
    done = subprocess.run(
        [sys.executable, "-m", "execbrief", command, "--portfolios", "clients/*", "--json", *args],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**env, "COLUMNS": "80", **({"EXECBRIEF_PROGRESS": progress} if progress else {})},
    )
    return done.returncode, json.loads(done.stdout or "{}"), done.stderr


def send_args(*extra: str) -> tuple[str, ...]:
    return ("--period", PERIOD, "--as-of", AS_OF, "--jobs", "2", *extra)


def rows(result: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {row["portfolio"]: row for row in result["portfolios"]}


def outbox_recipients(folder: Path) -> list[str]:
    """The recipient of each .eml file in a portfolio's outbox (sorted)."""
    found = []
    for path in sorted((folder / "outbox").glob("*.eml")):
        to = [line for line in path.read_text().splitlines() if line.startswith("To: ")]
        found.append(to[0].removeprefix("To: "))
    return sorted(found)


def three_portfolios(root: Path, transport: str = "outbox", section: str = "") -> None:
    for name, people in PEOPLE.items():
        write_portfolio(root / "clients" / name, transport, section, people)


def test_each_portfolio_gets_its_mail_once_and_a_broken_one_is_one_row(tmp_path: Path) -> None:
    three_portfolios(tmp_path)
    broken = tmp_path / "clients" / "broken"
    broken.mkdir()
    (broken / "portfolio.toml").write_text("[portfolio\nname = 'x'\n")

    code, result, _ = run_many(tmp_path, "send", *send_args())
    assert code == 2  # a portfolio whose config is invalid: the single run's code for that
    by_name = rows(result)
    assert list(by_name) == ["clients/broken", "clients/north", "clients/south", "clients/west"]
    assert by_name["clients/broken"]["exit_code"] == 2
    [note] = by_name["clients/broken"]["notes"]
    assert "clients/broken/portfolio.toml" in note and "not valid TOML" in note
    for name, people in PEOPLE.items():
        row = by_name[f"clients/{name}"]
        assert (row["exit_code"], row["counts"]) == (0, {"sent": len(people)})
        assert outbox_recipients(tmp_path / "clients" / name) == sorted(people)

    code, result, _ = run_many(tmp_path, "send", *send_args())  # a re-run sends nothing
    assert code == 2
    for name, people in PEOPLE.items():
        assert rows(result)[f"clients/{name}"]["counts"] == {"skipped": len(people)}
        assert outbox_recipients(tmp_path / "clients" / name) == sorted(people)

    (broken / "portfolio.toml").unlink()  # a folder without a portfolio.toml is no match
    code, result, _ = run_many(tmp_path, "send", *send_args())
    assert code == 0 and len(result["portfolios"]) == 3


def test_a_failed_check_in_one_portfolio_makes_the_run_exit_1(tmp_path: Path) -> None:
    three_portfolios(tmp_path)
    west = tmp_path / "clients" / "west"
    (west / "jammed").write_text("a file where the outbox folder should be\n")
    config = west / "portfolio.toml"
    text = config.read_text().replace(
        'transport = "outbox"', 'transport = "outbox"\noutbox = "jammed/out"'
    )
    config.write_text(text)

    code, result, _ = run_many(tmp_path, "send", *send_args())
    assert code == 1
    row = rows(result)["clients/west"]
    assert row["exit_code"] == 1 and row["counts"] == {}
    [note] = row["notes"]
    assert note.startswith("the transport check failed, so nothing was sent")
    assert "jammed" in note
    assert rows(result)["clients/north"]["counts"] == {"sent": 2}


def test_the_summary_table_fits_80_columns(tmp_path: Path) -> None:
    three_portfolios(tmp_path)
    done = subprocess.run(
        [sys.executable, "-m", "execbrief", "send", "--portfolios", "clients/*", *send_args()],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=240,
        env={**os.environ, "COLUMNS": "80", "EXECBRIEF_PROGRESS": "always"},
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert any("clients/south" in line and " 3 " in line for line in lines)
    assert "finished clients/north" in done.stderr


def test_build_writes_each_portfolio_into_its_own_folder(tmp_path: Path) -> None:
    three_portfolios(tmp_path)
    out = tmp_path / "out"
    code, result, _ = run_many(
        tmp_path, "build", "--as-of", AS_OF, "--report", "ceo", "--out", str(out)
    )
    assert code == 0
    for name in PEOPLE:
        row = rows(result)[f"clients/{name}"]
        assert row["counts"] == {"built": 1, "failed": 0, "source problems": 0}
        assert row["written"] == str(out / f"clients-{name}")
        assert "Harbor Charters" in (out / f"clients-{name}" / "ceo.txt").read_text()


def test_usage_errors_are_one_sentence_and_exit_2(tmp_path: Path) -> None:
    three_portfolios(tmp_path)
    runner = CliRunner()
    config = str(tmp_path / "clients" / "north" / "portfolio.toml")
    for command in ("send", "build"):
        result = runner.invoke(cli, [command, "--portfolios", "clients/*", "-c", config])
        assert result.exit_code == 2
        assert "--portfolios and -c/--config are mutually exclusive" in result.output
    result = runner.invoke(cli, ["send", "--portfolios", str(tmp_path / "nothing-*")])
    assert result.exit_code == 2
    assert "matches no portfolio.toml" in result.output
    result = runner.invoke(cli, ["send", "--portfolios", "clients/*", "--period", "2026-13"])
    assert result.exit_code == 2 and "--period: month must be 01..12" in result.output
    result = runner.invoke(cli, ["build", "--json"])
    assert result.exit_code == 2 and "--json goes with --portfolios" in result.output


def _reserve_slots(timeline: SharedTimeline, count: int, out: Any) -> None:
    for _ in range(count):
        out.put(timeline.reserve(0.05, time.monotonic()))


def test_processes_on_one_timeline_get_slots_that_never_overlap() -> None:
    context = multiprocessing.get_context("fork")
    timeline = SharedTimeline(context)
    starts = context.Queue()
    workers = [
        context.Process(target=_reserve_slots, args=(timeline, 50, starts)) for _ in range(3)
    ]
    for worker in workers:
        worker.start()
    slots = sorted(starts.get(timeout=30) for _ in range(150))
    for worker in workers:
        worker.join(30)
    gaps = [later - first for first, later in itertools.pairwise(slots)]
    assert min(gaps) >= 0.05 - 1e-9  # one slot of 1/20 s each, whoever took it


def test_a_limiter_on_a_timeline_waits_for_its_slot() -> None:
    clock = {"now": 100.0}
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        clock["now"] += seconds

    timeline = SharedTimeline()
    mine = RateLimiter(4.0, monotonic=lambda: clock["now"], sleep=sleep, shared=timeline)
    theirs = RateLimiter(4.0, monotonic=lambda: clock["now"], sleep=sleep, shared=timeline)
    mine.acquire(1)  # the timeline is free: no wait
    theirs.acquire(1)  # the next slot is a quarter second on
    mine.acquire(2)  # two recipients: after theirs, two slots long
    theirs.acquire(1)
    assert waits == [0.25, 0.25, 0.5]
    assert RateLimiter(None, shared=timeline).acquire(1) is None  # no rate: no slot taken
    assert timeline.next_free.value == 101.25  # the last slot ends a quarter second on


def test_ses_workers_share_the_send_rate(moto_url: str, tmp_path: Path) -> None:
    """Three portfolios at 4 sends a second each, sent at once: together still 4 a second."""
    verify(moto_url, "harbor.example", "us-east-1")
    rate, people = 4.0, 5
    stamps: list[float] = []
    lock = threading.Lock()

    def stamp(request: ProxiedRequest) -> Fault:
        with lock:
            stamps.append(time.monotonic())
        return Fault.FORWARD

    def reports_only(request: ProxiedRequest) -> bool:
        return is_send_email(request) and OPERATOR not in request.recipients()

    with FaultProxy(moto_url, stamp, select=reports_only) as proxy:
        section = ses_section(proxy.url).replace("max_send_rate = 50", f"max_send_rate = {rate}")
        for name in ("north", "south", "west"):
            recipients = [f"p{i}@{name}.example" for i in range(people)]
            write_portfolio(tmp_path / "clients" / name, "ses", section, recipients)
        code, result, stderr = run_many(tmp_path, "send", *send_args("--jobs", "3"))
    assert code == 0, stderr
    assert all(row["counts"] == {"sent": people} for row in result["portfolios"])
    stamps.sort()
    assert len(stamps) == 3 * people
    # any k sends after one came at least k slots later, less the jitter of a loaded machine
    # between a slot's start and the request reaching the proxy (a few sends apart, the jitter
    # is the whole gap, so only runs of three or more are held to the rate)
    jitter = 0.3
    for i, first in enumerate(stamps):
        for k, later in enumerate(stamps[i + 1 :], start=1):
            assert k < 3 or later - first >= k / rate - jitter, (i, k, stamps)


def test_the_pattern_finds_portfolios_not_other_toml_files(tmp_path: Path) -> None:
    for folder in ("clients/a", "clients/a/code", "clients/notes", "clients/deep/c"):
        (tmp_path / folder).mkdir(parents=True, exist_ok=True)
    (tmp_path / "clients/a/portfolio.toml").write_text("")
    (tmp_path / "clients/a/code/pyproject.toml").write_text("")
    (tmp_path / "clients/deep/c/portfolio.toml").write_text("")
    (tmp_path / "clients/b.toml").write_text("")

    def labels(pattern: str) -> list[str]:
        return [p.label for p in find_portfolios(pattern, tmp_path)]

    assert labels("clients/*") == ["clients/a"]
    assert labels("clients/**") == ["clients/a", "clients/deep/c"]
    assert labels("clients/**/portfolio.toml") == ["clients/a", "clients/deep/c"]
    assert labels("clients/*.toml") == ["clients/b"]
    (tmp_path / "clients-a").mkdir()
    (tmp_path / "clients-a" / "portfolio.toml").write_text("")
    with pytest.raises(ConfigError, match="would both write to the folder 'clients-a'"):
        find_portfolios("*/**", tmp_path)


def _workers_of(pid: int) -> list[int]:
    """The forked workers of process ``pid`` (children running its own command line)."""
    proc = Path("/proc")
    try:
        children = (proc / str(pid) / "task" / str(pid) / "children").read_text().split()
        own = (proc / str(pid) / "cmdline").read_bytes()
        return [int(c) for c in children if (proc / c / "cmdline").read_bytes() == own]
    except OSError:
        return []


def test_a_killed_worker_loses_no_portfolio(tmp_path: Path) -> None:
    """A worker killed as it starts breaks its pool; the portfolios in it run again, each alone,
    and every recipient still gets one mail."""
    three_portfolios(tmp_path)
    command = [sys.executable, "-m", "execbrief", "send", "--portfolios", "clients/*", "--json"]
    process = subprocess.Popen(
        [*command, *send_args("--jobs", "1")],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while not (workers := _workers_of(process.pid)) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert workers, "no worker process appeared"
    os.kill(workers[0], signal.SIGKILL)
    out, err = process.communicate(timeout=240)
    assert process.returncode == 0, err
    result = json.loads(out)
    for name, people in PEOPLE.items():
        assert rows(result)[f"clients/{name}"]["counts"] == {"sent": len(people)}
        assert outbox_recipients(tmp_path / "clients" / name) == sorted(people)


def test_progress_lines_are_off_with_json_never_or_no_terminal(tmp_path: Path) -> None:
    """The README's rule for progress holds for --portfolios too: off with --json, with
    EXECBRIEF_PROGRESS=never, and when stderr is not a terminal."""
    three_portfolios(tmp_path)
    for progress in ("never", None, "always"):  # always does not override --json
        code, result, stderr = run_many(tmp_path, "send", *send_args(), progress=progress)
        assert code == 0 and len(result["portfolios"]) == 3
        assert "running 3 portfolios" not in stderr and "finished" not in stderr, stderr
    done = subprocess.run(
        [sys.executable, "-m", "execbrief", "send", "--portfolios", "clients/*", *send_args()],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=240,
        env={**os.environ, "COLUMNS": "80", "EXECBRIEF_PROGRESS": "never"},
    )
    assert done.returncode == 0, done.stderr
    assert "clients/north" in done.stdout
    assert "running" not in done.stderr and "finished" not in done.stderr, done.stderr


def _long_labelled_run() -> ManyRun:
    labels = [f"amb/northwind-harbor-charters-property-{side}" for side in ("east", "west")]
    results = [
        PortfolioResult(label, f"{label}/portfolio.toml", 0, {"sent": 2}) for label in labels
    ]
    results[1].counts["busy"] = 3
    return ManyRun("send", results)


def test_long_labels_keep_their_distinguishing_end(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from execbrief.cli import print_portfolio_summary

    monkeypatch.setenv("COLUMNS", "80")
    print_portfolio_summary(_long_labelled_run())
    lines = capsys.readouterr().out.splitlines()
    assert max(len(line) for line in lines) <= 80
    rows = [line for line in lines if line.startswith("│")]
    east = [line for line in rows if "property-east" in line]
    west = [line for line in rows if "property-west" in line]
    assert len(east) == len(west) == 1, lines
    assert east[0].split()[1].startswith("amb/")  # the start stays too: cut in the middle
    print_portfolio_summary(_long_labelled_run(), wide=True)
    assert "amb/northwind-harbor-charters-property-east" in capsys.readouterr().out


def test_json_carries_the_notes_the_table_shows(capsys: pytest.CaptureFixture[str]) -> None:
    from execbrief.cli import print_portfolio_summary

    run = _long_labelled_run()
    print_portfolio_summary(run)
    label = "amb/northwind-harbor-charters-property-west"
    assert f"{label}: 3 busy" in " ".join(capsys.readouterr().out.split())
    by_name = rows(run.to_dict())
    assert by_name[label]["counts"] == {"sent": 2, "busy": 3}
    assert by_name[label]["notes"] == ["3 busy"]
    assert by_name["amb/northwind-harbor-charters-property-east"]["notes"] == []


def test_a_portfolio_that_did_not_run_is_a_failed_row_with_its_sentence_on_stdout(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Not a row of zeros like an idle portfolio's (audit18): ``failed [1]``, its counts ``–``,
    and its one sentence under the table, on stdout with it."""
    from execbrief.cli import print_portfolio_summary

    monkeypatch.setenv("COLUMNS", "80")
    sentence = "clients/b/portfolio.toml, entities[0].ledgr: unknown key 'ledgr'"
    idle = PortfolioResult("clients/a", "clients/a/portfolio.toml", 0, {})
    broken = PortfolioResult("clients/b", "clients/b/portfolio.toml", 2, notes=[sentence])
    broken.failed = True
    print_portfolio_summary(ManyRun("send", [idle, broken]))
    out = capsys.readouterr().out
    table = {line.split()[1]: line for line in out.splitlines() if line.startswith("│")}
    assert "│ ok " in table["clients/a"] and " 0 " in table["clients/a"]
    assert "│ failed [1] │" in table["clients/b"] and " 0 " not in table["clients/b"]
    assert table["clients/b"].count("–") == 5
    assert f"[1] clients/b: {sentence}" in " ".join(out.split())
    assert max(len(line) for line in out.splitlines()) <= 80
