"""At 80 columns the delivery tables keep one row per delivery (long cells cut with an ellipsis,
never wrapped a word per line), `--wide` keeps them whole, results go to stdout and messages to
stderr; the demo ends with where the reports are and what to try next."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from execbrief.cli import cli

ROW = re.compile(r"^│ ")


def rows(text: str) -> list[str]:
    return [line for line in text.splitlines() if ROW.match(line)]


def test_demo_history_and_send_fit_80_columns(tmp_path: Path) -> None:
    runner = CliRunner()
    env = {"COLUMNS": "80"}
    demo = runner.invoke(cli, ["demo", "--out", str(tmp_path / "demo")], env=env)
    assert demo.exit_code == 0, demo.output
    config = str(tmp_path / "demo" / "portfolio.toml")
    assert f"The mailed reports are .eml files in {tmp_path / 'demo' / 'outbox'}" in demo.stderr
    assert "Next:" in demo.stderr and f"execbrief open -c {config}" in demo.stderr
    assert "execbrief init DIR" in demo.stderr and "Next:" not in demo.stdout

    history = runner.invoke(cli, ["history", "-c", config], env=env)
    assert history.exit_code == 0, history.output
    assert max(len(line) for line in history.stdout.splitlines()) <= 80
    assert len(rows(history.stdout)) == 10  # one line per delivery
    # whole columns rather than fragments of all (audit18): no message id, the sent minute whole
    assert "message id" not in history.stdout and "<" not in history.stdout
    assert all(re.search(r"│ \d{4}-\d\d-\d\d \d\d:\d\d │", row) for row in rows(history.stdout))
    assert any("│ accounting │" in row for row in rows(history.stdout))
    period = runner.invoke(cli, ["history", "-c", config, "--period", "2026-10"], env=env)
    assert period.exit_code == 0, period.output
    assert max(len(line) for line in period.stdout.splitlines()) <= 80
    assert len(rows(period.stdout)) > 30  # one line per source, per finding, per delivery
    wide = runner.invoke(cli, ["history", "-c", config, "--wide"], env=env)
    assert re.search(r"<[0-9a-f]{24}\.ceo\.2026-10@harbor\.example>", wide.stdout)

    dry = runner.invoke(cli, ["send", "-c", config, "--dry-run"], env=env)
    assert dry.exit_code == 0, dry.output
    assert max(len(line) for line in dry.stdout.splitlines()) <= 80
    assert len(rows(dry.stdout)) == 10
    assert "10 would skip" in dry.stderr and "would skip" not in dry.stdout.splitlines()[-1]


def test_a_table_gives_columns_the_room_their_cells_need(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # the demo's deliveries table cut "accounting" to "accou…" and every address to 13
    # columns to keep room for a note column that held nothing
    from execbrief.cli import fitting_table, print_table

    monkeypatch.setenv("COLUMNS", "80")
    table = fitting_table(
        "Deliveries",
        ("report", "recipient", "status", "message id", "note"),
        limits={"report": 10, "recipient": 20, "status": 12, "message id": 12, "note": 30},
        keep=("status",),
    )
    table.add_row("accounting", "books@harbor.example", "sent", "<69ebf954dc9e9@x>", "")
    print_table(table)
    out = capsys.readouterr().out
    assert max(len(line) for line in out.splitlines()) <= 80
    assert "│ accounting │ books@harbor.example │" in out
