"""Progress inside a big file (issue 16 item 7, issue 17 item 9 "with progress shown"): the line
reader tells a hook how far it has got once per ``READ_REPORT_BYTES``, never per row; the hook
changes no result, serial or on the pool; a worker's reports reach the parent; file names are
redacted on the way."""

from __future__ import annotations

import itertools
import json
import threading
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from execbrief.config import load_config
from execbrief.pipeline import collect
from execbrief.plugins import get_registry
from execbrief.secrets import redaction
from execbrief.sources import files
from execbrief.sources.files import (
    READ_REPORT_BYTES,
    Location,
    ReadError,
    iter_lines,
    read_reporter,
    reporting_reads,
)

AS_OF = date(2026, 11, 20)

Report = tuple[str, int, int | None, int]


def write_lines(path: Path, count: int, width: int = 99) -> int:
    """``count`` lines of ``width`` characters plus a newline; the file's size."""
    with path.open("w") as out:
        for n in range(count):
            out.write(f"{n:0{width}d}\n")
    return path.stat().st_size


def read_all(path: Path, reports: list[Report]) -> int:
    with reporting_reads(lambda *report: reports.append(report)):
        return sum(1 for _ in iter_lines(Location(path.name, path=path)))


def test_a_big_file_is_reported_once_per_megabyte_and_at_its_end(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    size = write_lines(path, 52_000)  # 5.2 MB
    reports: list[Report] = []
    assert read_all(path, reports) == 52_000
    # throttled: one report per READ_REPORT_BYTES read (chunks of 64 KB), and one at the end
    assert len(reports) == size // READ_REPORT_BYTES + 1
    assert {name for name, *_ in reports} == {"big.csv"}
    assert {total for _, _, total, _ in reports} == {size}
    done = [read for _, read, _, _ in reports]
    assert all(b - a >= READ_REPORT_BYTES for a, b in itertools.pairwise(done[:-1]))
    assert done[-1] == size
    lines = [count for *_, count in reports]
    assert lines == sorted(lines) and lines[-1] == 52_000
    # the lines counted are those read before the bytes reported (100 bytes a line here)
    assert all(count <= read // 100 for _, read, _, count in reports)
    assert all(count >= (read - 2 * (1 << 16)) // 100 for _, read, _, count in reports)


def test_a_small_file_and_no_hook_report_nothing(tmp_path: Path) -> None:
    small = tmp_path / "small.csv"
    write_lines(small, 9_000)  # 0.9 MB
    reports: list[Report] = []
    assert read_all(small, reports) == 9_000
    assert reports == []
    assert read_reporter() is None  # the block put the hook back
    big = tmp_path / "big.csv"
    write_lines(big, 30_000)
    assert sum(1 for _ in iter_lines(Location("big.csv", path=big))) == 30_000


def test_a_bom_and_a_last_line_without_newline_are_counted(tmp_path: Path) -> None:
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbf" + b"x" * 99 + b"\n" + (b"y" * 99 + b"\n") * 20_000 + b"end")
    reports: list[Report] = []
    assert read_all(path, reports) == 20_002
    assert reports[-1][1:] == (path.stat().st_size, path.stat().st_size, 20_002)


def test_a_read_error_mid_file_still_raises_with_a_hook(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(b"a,b\n" * 400_000 + b"\xff\n")
    reports: list[Report] = []
    with pytest.raises(ReadError, match="not valid UTF-8") as caught:
        read_all(path, reports)
    assert caught.value.to_error is not None and "400001" in str(caught.value)
    assert reports  # progress was heard before the bad line


def write_ledger(path: Path, rows: int) -> None:
    """A house-layout ledger CSV (docs/formats.md "Ledgers"), as bench/bigfiles.py writes it."""
    accounts = ("Income:Charters", "Expenses:Fuel", "Expenses:Slip Fees", "Expenses:Software")
    with path.open("w") as out:
        out.write("date,account,amount,memo,counterparty,reference,type\n")
        out.write("2025-12-01,Assets:Checking,50000.00,Opening balance,,,opening\n")
        for n in range(rows):
            day = f"2026-{1 + n % 10:02d}-{1 + n % 28:02d}"
            cents = 1_000 + (n * 7_919) % 89_000
            out.write(
                f"{day},{accounts[n % 4]},{cents / 100:.2f},Entry {n},Vendor {n % 50},R-{n},\n"
            )


def two_ledgers(root: Path, rows: int, second_name: str = "second.csv") -> Path:
    """Two entities of one big ledger each (two sharing groups, so ``jobs=2`` uses the pool)."""
    write_ledger(root / "first.csv", rows)
    write_ledger(root / second_name, rows)
    config = root / "portfolio.toml"
    config.write_text(
        '[portfolio]\nname = "Big"\n\n[secrets]\nkey_file = "fingerprint.key"\n\n'
        '[[entities]]\nid = "one"\nname = "One"\nkind = "charter"\nledger = "first.csv"\n\n'
        f'[[entities]]\nid = "two"\nname = "Two"\nkind = "charter"\nledger = "{second_name}"\n'
    )
    return config


def snapshot_text(config_path: Path, jobs: int, heard: Callable[..., None] | None) -> str:
    registry = get_registry()
    config = load_config(config_path, registry.option_models())
    hook = None if heard is None else (lambda *report: heard(report))
    with reporting_reads(hook):
        snapshot = collect(config, registry, AS_OF, jobs=jobs, key=b"k" * 32)
    return json.dumps(snapshot.to_dict(), sort_keys=True)


@pytest.mark.parametrize("jobs", [1, 2])
def test_progress_changes_no_result_and_names_each_source(tmp_path: Path, jobs: int) -> None:
    config = two_ledgers(tmp_path, 20_000)  # about 1.3 MB each
    quiet = snapshot_text(config, jobs, None)
    threads: set[str] = set()
    reports: list[Report] = []

    def heard(report: Report) -> None:
        threads.add(threading.current_thread().name)
        reports.append(report)

    assert snapshot_text(config, jobs, heard) == quiet
    by_name: dict[str, list[Report]] = {}
    for report in reports:
        by_name.setdefault(report[0], []).append(report)
    assert set(by_name) == {"one: ledger · first.csv", "two: ledger · second.csv"}
    for name, told in by_name.items():
        total = (tmp_path / name.rsplit(" ", 1)[-1]).stat().st_size
        assert total > READ_REPORT_BYTES
        assert len(told) == total // READ_REPORT_BYTES + 1, name
        assert told[-1][1:] == (total, total, 20_002)
    # on the pool the reports are relayed from the workers by the parent's thread
    assert threads == ({"MainThread"} if jobs == 1 else {"execbrief-read-progress"})


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_long_redaction_has_a_row_of_its_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: int
) -> None:
    """A result of more than ``REPORT_RECORDS`` records tells how far its redaction has got, on a
    worker too (relayed like the reads), in records; the snapshot is the quiet run's."""
    config = two_ledgers(tmp_path, 3_000)
    quiet = snapshot_text(config, jobs, None)
    monkeypatch.setattr(redaction, "REPORT_RECORDS", 1_000)
    reports: list[Report] = []
    assert snapshot_text(config, jobs, reports.append) == quiet
    rows = {name: [r for r in reports if r[0] == name] for name, *_ in reports}
    assert set(rows) == {"one: ledger · redacting", "two: ledger · redacting"}
    for told in rows.values():
        total = told[-1][2]
        assert total is not None and total > 3_000  # the ledger's rows, and its checks
        assert [done for _, done, _, _ in told] == [*range(0, total, 1_000), total]
        assert told[-1] == (told[-1][0], total, total, total)


def test_a_secret_in_a_file_name_is_redacted_in_progress(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(files, "READ_REPORT_BYTES", 64 << 10)  # small files report too
    secret = "sk_live_" + "4eC39HqLyjWDarjtT1zdp7dc"
    config = two_ledgers(tmp_path, 3_000, second_name=f"{secret}.csv")
    for jobs in (1, 2):
        reports: list[Report] = []
        snapshot_text(config, jobs, reports.append)
        names = {name for name, *_ in reports}
        assert len(names) == 2
        assert not any(secret in name for name in names), names
        assert any(name.startswith("two: ledger · [redacted: ") for name in names), names


def test_a_failing_hook_costs_no_line_and_is_not_called_again(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    write_lines(path, 30_000)
    calls: list[int] = []

    def broken(name: str, done: int, size: int | None, lines: int) -> None:
        calls.append(done)
        raise OSError("the terminal went away")

    with reporting_reads(broken):
        assert sum(1 for _ in iter_lines(Location(path.name, path=path))) == 30_000
    assert len(calls) == 1
