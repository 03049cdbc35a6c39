"""Accepted findings: `[[findings.accept]]` (an id or id prefix, a reason, an optional until)
takes a known finding out of every report's findings and action plans, each report says how
many in one line, and `execbrief findings` lists every finding with its status and reports
acceptances that expired or match nothing."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from execbrief.cli import cli
from execbrief.examples import copy_example

SECRET = "security.plaintext:harbor-charters:repos.env"
ACCEPT = f"""
[[findings.accept]]
id = "{SECRET}"
reason = "the shared env file is rotated by hand each quarter"

[[findings.accept]]
id = "briefing.zero-ota:sunset-sails"
reason = "listing later"
until = 2026-01-31

[[findings.accept]]
id = "nothing.such:finding"
reason = "fixed long ago"
"""


def accepted_portfolio(tmp_path: Path) -> Path:
    root = copy_example(tmp_path / "harbor")
    config = root / "portfolio.toml"
    text = config.read_text(encoding="utf-8")
    head, sep, rest = text.partition("[[entities]]")
    config.write_text(head + ACCEPT.lstrip() + "\n" + sep + rest, encoding="utf-8")
    return config


def test_findings_lists_status_and_reports_stale_acceptances(tmp_path: Path) -> None:
    config = accepted_portfolio(tmp_path)
    result = CliRunner().invoke(cli, ["findings", "-c", str(config), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    by_id = {row["id"]: row for row in data["findings"]}
    accepted = [row for row in data["findings"] if row["status"] == "accepted"]
    assert accepted and all(row["id"].startswith(SECRET) for row in accepted)
    assert accepted[0]["reason"] == "the shared env file is rotated by hand each quarter"
    assert by_id["briefing.zero-ota:sunset-sails"]["status"] == "open"  # expired: open again
    assert {row["severity"] for row in data["findings"]} <= {
        "critical", "high", "medium", "low", "info",
    }  # fmt: skip
    problems = data["acceptance_problems"]
    assert len(problems) == 2
    assert "'briefing.zero-ota:sunset-sails' expired on 2026-01-31" in problems[0]
    assert "'nothing.such:finding' matches no current finding" in problems[1]
    assert "expired on 2026-01-31" in " ".join(result.stderr.split())  # wrapped to the width


def test_an_accepted_finding_leaves_the_report_with_a_one_line_count(tmp_path: Path) -> None:
    config = accepted_portfolio(tmp_path)
    result = CliRunner().invoke(
        cli, ["build", "-c", str(config), "--report", "cto", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    accepted = document.pop("meta")["accepted"].split()
    assert accepted and all(fid.startswith(SECRET) for fid in accepted)
    assert SECRET not in json.dumps(document)  # not in findings, actions or summary
    sections = {s["title"]: s for s in document["sections"]}
    (line,) = sections["Accepted findings"]["blocks"]
    assert line["text"].startswith(f"{len(accepted)} findings are accepted in portfolio.toml")
    # without the acceptance the same report carries the finding
    plain = copy_example(tmp_path / "plain") / "portfolio.toml"
    result = CliRunner().invoke(
        cli, ["build", "-c", str(plain), "--report", "cto", "--format", "json"]
    )
    assert SECRET in result.stdout and "Accepted findings" not in result.stdout


def test_findings_table_fits_80_columns(tmp_path: Path) -> None:
    config = accepted_portfolio(tmp_path)
    result = CliRunner().invoke(cli, ["findings", "-c", str(config)], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    # an id is never cut (it is what [[findings.accept]] takes): a longer one has its own line
    assert max(len(line) for line in lines if " " in line.strip()) <= 80
    assert any("accepted" in line for line in lines) and any("…" in line for line in lines)


def test_findings_never_cut_an_id_and_wrap_warnings_at_80_columns(tmp_path: Path) -> None:
    config = accepted_portfolio(tmp_path)
    data = json.loads(CliRunner().invoke(cli, ["findings", "-c", str(config), "--json"]).stdout)
    ids = [row["id"] for row in data["findings"]]
    for columns in ("80", "300"):
        result = CliRunner().invoke(cli, ["findings", "-c", str(config)], env={"COLUMNS": columns})
        assert result.exit_code == 0, result.output
        for fid in ids:  # whole, on one line, whatever the width
            assert any(fid in line for line in result.stdout.splitlines()), (columns, fid)
        lines = result.stdout.splitlines() + result.stderr.splitlines()
        assert all(len(line) <= int(columns) for line in lines if line.strip() not in ids)
    assert "expired" in result.stderr
