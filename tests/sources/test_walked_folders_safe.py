"""A FIFO, a link to /dev/zero, a link loop or a link out of the portfolio inside a folder a source
walks (handoff, ledger, code, site, env folders) is skipped with a message naming it, never opened,
and the rest of the run goes on (audit of issue 17, items 2, 4 and 6). The run goes through the
source cache, which hashes every file of a walked folder: that is where the FIFO hung the run and
the loop raised OSError (store/sourcecache.py ``_file``)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs POSIX FIFOs")

CONFIG = """\
[portfolio]
name = "Audit Holdings"
as_of = 2026-11-20

[[entities]]
id = "mule"
name = "Mule Hauling"
kind = "hauling"
handoff = "handoffs/"
ledger = "ledgers/"
site = "site"
code = ["code"]
env = "envs/"
"""
# The ledger layout of the plain CSV ledger docs/formats.md describes: date, account, amount, memo.
LEDGER = "date,account,amount,memo\n2026-11-02,Income:Hauling,1200.00,Job 41\n"
FOLDERS = {
    "handoffs": ("mule.md", "# Mule Hauling\n\nRevenue: $1,200\n", ".md"),
    "ledgers": ("mule.csv", LEDGER, ".csv"),
    "site": ("index.html", "<html><head><title>Mule</title></head><body></body></html>", ".html"),
    "code": ("app.js", "console.log('mule');\n", ".js"),
    "envs": ("app.env", "PORT=8080\n", ".env"),
}


def errors_of(snapshot: Any) -> dict[str, str]:
    """Cited file -> message of every SourceError in a ``collect --json`` snapshot."""
    found: dict[str, str] = {}

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "source_error":
                found[node["provenance"]["source"]] = node["message"]
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(snapshot)
    return found


def collect(root: Path) -> tuple[str, dict[str, str]]:
    done = subprocess.run(
        [sys.executable, "-m", "execbrief", "collect", "--json", "-c", "portfolio.toml"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=90,  # before the fix a FIFO or /dev/zero here hung the run until killed
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Traceback" not in done.stderr
    return done.stdout, errors_of(json.loads(done.stdout))


@pytest.fixture
def root(tmp_path: Path) -> Path:
    top = tmp_path / "portfolio"
    for folder, (name, text, _suffix) in FOLDERS.items():
        (top / folder).mkdir(parents=True)
        (top / folder / name).write_text(text)
    (top / "portfolio.toml").write_text(CONFIG)
    return top


def test_fifos_and_dev_zero_links_in_every_walked_folder_are_named_unopened(root: Path) -> None:
    for folder, (_name, _text, suffix) in FOLDERS.items():
        os.mkfifo(root / folder / f"pipe{suffix}")
        (root / folder / f"zero{suffix}").symlink_to("/dev/zero")
    out, errors = collect(root)
    for folder, (_name, _text, suffix) in FOLDERS.items():
        assert "named pipe (FIFO)" in errors[f"{folder}/pipe{suffix}"]
        assert "is a character device, not a regular file" in errors[f"{folder}/zero{suffix}"]
    assert '"handoffs/mule.md"' in out and "Job 41" in out  # the real files are still read


def test_links_out_of_the_portfolio_in_note_and_ledger_folders_are_refused(root: Path) -> None:
    outside = root.parent / "outside"
    outside.mkdir()
    (outside / "secret.md").write_text("# Secret\n\nRevenue: $9,999,999\n")
    (outside / "secret.csv").write_text(LEDGER.replace("Job 41", "OUTSIDE MEMO"))
    (root / "handoffs" / "passwd.md").symlink_to("/etc/passwd")
    (root / "handoffs" / "secret.md").symlink_to(outside / "secret.md")
    (root / "ledgers" / "zz.csv").symlink_to(outside / "secret.csv")
    out, errors = collect(root)
    for cited in ("handoffs/passwd.md", "handoffs/secret.md", "ledgers/zz.csv"):
        assert errors[cited].startswith(
            "is a symbolic link to a file outside the portfolio folder (the folder holding "
            "portfolio.toml); skipped without reading it"
        )
    assert "OUTSIDE MEMO" not in out and "9,999,999" not in out and "root:x" not in out


def test_a_configured_note_linked_outside_is_refused_but_an_absolute_path_is_read(
    root: Path,
) -> None:
    outside = root.parent / "outside"
    outside.mkdir()
    (outside / "named.md").write_text("# Named\n\nRevenue: $4,321\n")
    (root / "handoffs" / "linked.md").symlink_to("/etc/passwd")
    config = root / "portfolio.toml"
    config.write_text(
        CONFIG.replace(
            'handoff = "handoffs/"', f'handoff = ["handoffs/linked.md", "{outside}/named.md"]'
        )
    )
    out, errors = collect(root)
    assert "outside the portfolio folder" in errors["handoffs/linked.md"]
    assert "root:x" not in out
    assert "4,321" in out or "4321" in out  # named explicitly by the config: read


def test_a_symlink_loop_in_walked_folders_is_named_and_the_run_goes_on(root: Path) -> None:
    (root / "handoffs" / "loop1.md").symlink_to("loop2.md")
    (root / "handoffs" / "loop2.md").symlink_to("loop1.md")
    (root / "ledgers" / "self.csv").symlink_to("self.csv")
    (root / "code" / "self").symlink_to(".")
    out, errors = collect(root)
    for cited in ("handoffs/loop1.md", "handoffs/loop2.md", "ledgers/self.csv"):
        assert errors[cited].startswith("is a symbolic link loop"), cited
    assert '"handoffs/mule.md"' in out and "Job 41" in out


def test_a_configured_path_that_is_a_link_loop_is_named_not_a_traceback(root: Path) -> None:
    (root / "handoffs" / "loop1.md").symlink_to("loop2.md")
    (root / "handoffs" / "loop2.md").symlink_to("loop1.md")
    config = root / "portfolio.toml"
    config.write_text(
        CONFIG.replace(
            'handoff = "handoffs/"', 'handoff = ["handoffs/loop1.md", "handoffs/mule.md"]'
        )
    )
    out, errors = collect(root)
    assert errors["handoffs/loop1.md"].startswith("is a symbolic link loop")
    assert '"handoffs/mule.md"' in out
