"""`execbrief open` builds the full HTML report into a folder and opens it with click.launch: a
fake browser (the BROWSER variable, which xdg-open and webbrowser both honour) records what it
was asked to open."""

from __future__ import annotations

import os
import shutil
import webbrowser
from pathlib import Path

import pytest
from click.testing import CliRunner

from execbrief.cli import cli
from execbrief.examples import copy_example


@pytest.fixture(autouse=True)
def fresh_webbrowser(monkeypatch: pytest.MonkeyPatch) -> None:
    """webbrowser reads BROWSER once a process and keeps the browsers it found: without xdg-open
    (as here), a second test in the same worker would open with the first test's fake browser."""
    monkeypatch.setattr(webbrowser, "_tryorder", None)
    monkeypatch.setattr(webbrowser, "_browsers", {})


def fake_browser(tmp_path: Path) -> tuple[dict[str, str], Path]:
    log = tmp_path / "opened.txt"
    script = tmp_path / "browser.sh"
    script.write_text(f'#!/bin/sh\necho "$1" >> {log}\n', encoding="utf-8")
    script.chmod(0o755)
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.pop("XDG_CURRENT_DESKTOP", None)
    return {**env, "BROWSER": str(script)}, log


def test_open_builds_the_report_and_launches_the_browser(tmp_path: Path) -> None:
    config = str(copy_example(tmp_path / "harbor") / "portfolio.toml")
    env, log = fake_browser(tmp_path)
    out = tmp_path / "pages"
    result = CliRunner().invoke(
        cli, ["open", "-c", config, "--report", "cfo", "--out", str(out)], env=env
    )
    assert result.exit_code == 0, result.output
    page = Path(result.stdout.strip())
    assert page == out / "2026-10" / "cfo.html"
    html = page.read_text(encoding="utf-8")
    assert "<html" in html and "CFO" in html and "<svg" in html  # the full report, charts and all
    opened = log.read_text(encoding="utf-8").split()
    assert len(opened) == 1 and opened[0].endswith("cfo.html")
    assert Path(opened[0].removeprefix("file://")).resolve() == page.resolve()


def test_open_without_a_folder_uses_a_new_temporary_one(tmp_path: Path) -> None:
    config = str(copy_example(tmp_path / "harbor") / "portfolio.toml")
    env, log = fake_browser(tmp_path)
    result = CliRunner().invoke(cli, ["open", "-c", config, "--report", "ceo"], env=env)
    assert result.exit_code == 0, result.output
    page = Path(result.stdout.strip())
    assert page.name == "ceo.html" and page.is_file() and "execbrief-" in str(page)
    assert log.read_text(encoding="utf-8").strip().endswith("ceo.html")
    shutil.rmtree(page.parents[1])
