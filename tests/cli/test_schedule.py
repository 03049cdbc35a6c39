"""`execbrief schedule --print cron|systemd|github` prints a recipe for the current portfolio:
the cron lines are valid 5-field lines whose command really sends, the systemd units pass
`systemd-analyze verify` (or, without systemd, have the sections a timer needs), and the
workflow is YAML that restores and keeps the store and takes its secrets from the environment."""

from __future__ import annotations

import configparser
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from execbrief.cli import cli
from execbrief.examples import copy_example

FIELD = {
    "minute": (0, 59),
    "hour": (0, 23),
    "day": (1, 31),
    "month": (1, 12),
    "weekday": (0, 7),
}


def valid_cron_field(text: str, low: int, high: int) -> bool:
    for part in text.split(","):
        base, _, step = part.partition("/")
        if step and not step.isdigit():
            return False
        if base == "*":
            continue
        bounds = base.split("-")
        if not all(b.isdigit() and low <= int(b) <= high for b in bounds) or len(bounds) > 2:
            return False
    return True


def recipe(tmp_path: Path, kind: str) -> tuple[Path, str]:
    config = copy_example(tmp_path / "harbor") / "portfolio.toml"
    result = CliRunner().invoke(cli, ["schedule", "-c", str(config), "--print", kind])
    assert result.exit_code == 0, result.output
    return config, result.stdout


def test_cron_lines_are_valid_and_their_command_sends(tmp_path: Path) -> None:
    config, text = recipe(tmp_path, "cron")
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    assert len(lines) == 2
    for line in lines:
        fields = line.split(None, 5)
        assert len(fields) == 6
        for value, (low, high) in zip(fields[:5], FIELD.values(), strict=True):
            assert valid_cron_field(value, low, high), (value, line)
        assert "%" not in fields[5]  # cron would turn it into a newline
    send, check = lines
    assert send.startswith("0 7 2 * * ") and f" send -c {config}" in send
    assert check.startswith("0 7 3 * * ") and f" check --expect monthly -c {config}" in check
    # the command cron would run, run by a shell
    done = subprocess.run(["sh", "-c", send.split(None, 5)[5]], timeout=300, check=False)
    assert done.returncode == 0
    assert len(list((config.parent / "outbox").glob("*.eml"))) == 10
    assert "10 sent" in (config.parent / ".execbrief" / "cron.log").read_text(encoding="utf-8")


def units_of(text: str) -> dict[str, str]:
    parts = re.split(r"^# ---- (\S+) ----$", text, flags=re.M)
    return {name: body.strip() + "\n" for name, body in zip(parts[1::2], parts[2::2], strict=True)}


def test_systemd_units_verify(tmp_path: Path) -> None:
    config, text = recipe(tmp_path, "systemd")
    units = units_of(text)
    assert sorted(units) == [
        "execbrief-check.service",
        "execbrief-check.timer",
        "execbrief-send.service",
        "execbrief-send.timer",
    ]
    folder = tmp_path / "units"
    folder.mkdir()
    for name, body in units.items():
        parsed = configparser.ConfigParser(interpolation=None)
        parsed.read_string(body)
        if name.endswith(".service"):
            assert parsed["Service"]["Type"] == "oneshot"
            assert parsed["Service"]["WorkingDirectory"] == str(config.parent)
            assert f"-c {config}" in parsed["Service"]["ExecStart"]
        else:
            assert parsed["Timer"]["OnCalendar"].startswith("*-*-0")
            assert parsed["Timer"]["Persistent"] == "true"
            assert parsed["Install"]["WantedBy"] == "timers.target"
        (folder / name).write_text(body, encoding="utf-8")
    if shutil.which("systemd-analyze") is None:
        pytest.skip("systemd-analyze is not installed; the structure was checked")
    done = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", *sorted(map(str, folder.iterdir()))],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr


def test_github_workflow_keeps_the_store_and_reads_secrets(tmp_path: Path) -> None:
    _, text = recipe(tmp_path, "github")
    workflow = yaml.safe_load(text)
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as true
    assert [s["cron"] for s in triggers["schedule"]] == ["0 7 2 * *", "0 8 * * 1"]
    job = workflow["jobs"]["reports"]
    assert all(v.startswith("${{ secrets.") for v in job["env"].values())
    uses = [step.get("uses", "") for step in job["steps"]]
    assert "actions/cache/restore@v4" in uses and "actions/cache/save@v4" in uses
    runs = [step.get("run", "") for step in job["steps"]]
    assert any(r.startswith("execbrief send -c ") for r in runs)
    assert runs[-1].endswith("--expect monthly")
    restore = job["steps"][uses.index("actions/cache/restore@v4")]
    assert restore["with"]["path"].endswith(".execbrief")
