"""`check` reports a stale source as `collect` does, and exits 1 for it."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from execbrief.cli import cli
from execbrief.examples import copy_example


def test_check_reports_the_sources_collect_marks_stale(tmp_path: Path) -> None:
    config = str(copy_example(tmp_path / "harbor") / "portfolio.toml")
    late = "2027-06-30"  # every dated source is months old by then
    collected = CliRunner().invoke(cli, ["collect", "-c", config, "--as-of", late, "--json"])
    stale = {
        (r["entity"], r["kind"])
        for r in json.loads(collected.stdout)["results"]
        if r.get("freshness") and r["freshness"]["stale"]
    }
    assert stale
    checked = CliRunner().invoke(cli, ["check", "-c", config, "--as-of", late, "--json"])
    assert checked.exit_code == 1
    problems = json.loads(checked.stdout)["problems"]
    flagged = {(p["entity"], p["source"]) for p in problems if p["error"].startswith("stale: ")}
    assert flagged == stale
    on_time = CliRunner().invoke(cli, ["check", "-c", config, "--json"])
    assert on_time.exit_code == 0, on_time.output
