"""`collect` shows how far each big file has been read (issue 16 item 7, issue 17 item 9): a real
`execbrief collect --jobs 2` process on two multi-MB ledgers, progress forced on with
``EXECBRIEF_PROGRESS=always``, shows each ledger's bytes and lines advancing to its end, while
its results are those of a run without progress; progress stays off under --json and when
stderr is not a terminal."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from tests.sources.test_read_progress import two_ledgers

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
FIGURES = re.compile(r"(\w+: ledger · \w+\.csv) .*?([\d.]+) / ([\d.]+) MB \(([\d,]+) lines\)")


def run(config: Path, progress: str | None, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "EXECBRIEF_NO_ENTRY_POINTS": "1", "COLUMNS": "80"}
    env.pop("EXECBRIEF_PROGRESS", None)
    if progress is not None:
        env["EXECBRIEF_PROGRESS"] = progress
    command = [sys.executable, "-m", "execbrief", "collect", "-c", str(config)]
    command += ["--as-of", "2026-11-20", "--no-cache", *args]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    return done


def figures(stderr: str) -> dict[str, list[tuple[float, float, int]]]:
    """Each file's (MB read, MB in all, lines read), in the order the frames showed them."""
    seen: dict[str, list[tuple[float, float, int]]] = {}
    for frame in ANSI.sub("", stderr).replace("\r", "\n").splitlines():
        for name, done, size, lines in FIGURES.findall(frame):
            shown = (float(done), float(size), int(lines.replace(",", "")))
            if not seen.get(name) or seen[name][-1] != shown:
                seen.setdefault(name, []).append(shown)
    return seen


def test_collect_shows_each_big_file_s_bytes_and_lines_advancing(tmp_path: Path) -> None:
    config = two_ledgers(tmp_path, 40_000)  # about 2.6 MB each: the pool reads one each
    size = round((tmp_path / "first.csv").stat().st_size / 1e6, 1)
    shown = run(config, "always", "--jobs", "2")
    seen = figures(shown.stderr)
    assert set(seen) == {"one: ledger · first.csv", "two: ledger · second.csv"}, shown.stderr
    for name, steps in seen.items():
        assert len(steps) >= 3, (name, steps)  # 1 MB, 2 MB and the end at least
        assert {total for _, total, _ in steps} == {size}
        assert [done for done, _, _ in steps] == sorted(done for done, _, _ in steps)
        assert [lines for *_, lines in steps] == sorted(lines for *_, lines in steps)
        assert steps[-1] == (size, size, 40_002), name
    quiet = run(config, "never", "--jobs", "2")
    assert quiet.stderr == ""
    assert quiet.stdout == shown.stdout  # progress changes nothing of the result


def test_progress_stays_off_under_json_and_off_a_terminal(tmp_path: Path) -> None:
    config = two_ledgers(tmp_path, 200)
    as_json = run(config, "always", "--json")
    assert "Reading sources" not in as_json.stderr
    piped = run(config, None)  # stderr is a pipe here, not a terminal
    assert "Reading sources" not in piped.stderr
    forced = run(config, "always")
    assert "Reading sources" in forced.stderr
    assert forced.stdout == piped.stdout
